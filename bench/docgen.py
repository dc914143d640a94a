"""A large plain-text course document, generated deterministically.

``generate(sections=2000)`` writes a title line and then ``sections`` headings, each
followed by one to three paragraphs of varied sentences; about one section in five
also has a bullet list (some with nested items), and about a third of the headings
are written to be read as sub-sections of the section before them (importing.py,
rule 5: a short heading whose words the parent section's own text mentions). The
same arguments always give the same text, byte for byte.
"""

import random

# Words the body sentences draw on; headings of sub-sections are made from these.
_TOPICS = (
    "logistics", "patrols", "treaties", "training", "exercises", "intelligence",
    "procurement", "maintenance", "communications", "doctrine", "recruitment",
    "budgets", "airlift", "shipyards", "cartography", "medicine", "engineering",
    "diplomacy", "observers", "inspections", "verification", "evacuation",
    "surveillance", "exchanges", "scholarships", "archives", "translation",
    "forecasting", "cybersecurity", "demining", "firefighting", "peacekeeping",
    "fisheries", "customs", "quarantine", "satellites", "radios", "hospitals",
    "bridges", "airfields", "harbours", "convoys", "rations", "uniforms",
    "ceremonies", "attaches", "protocols", "hotlines", "drills", "simulations",
)  # fmt: skip
_ASPECTS = (
    "funding", "oversight", "planning", "standards", "staffing", "reporting",
    "equipment", "partnerships", "assessment", "coordination", "readiness",
    "governance",
)  # fmt: skip
_VERBS = (
    "strengthens", "complicates", "reshapes", "supports", "delays", "accelerates",
    "depends on", "draws on", "limits", "extends", "informs", "tests",
)  # fmt: skip
_ACTORS = (
    "the ministry", "regional planners", "neighbouring navies", "civil agencies",
    "field commanders", "visiting delegations", "local authorities",
    "the joint staff", "border units", "partner academies",
)  # fmt: skip
_QUALIFIERS = (
    "over several budget cycles", "despite uneven funding",
    "when the rainy season begins", "in most coastal districts",
    "after each annual review", "with mixed results", "at a modest cost",
    "under close parliamentary scrutiny", "in the first year",
    "without new legislation",
)  # fmt: skip
# Only in top-level headings, never in body text: so a new top-level heading is
# never mistaken for a sub-section of the section before it.
_ADJECTIVES = (
    "Northern", "Southern", "Andean", "Amazonian", "Atlantic", "Pacific", "Caribbean",
    "Highland", "Riverine", "Frontier", "Metropolitan", "Insular",
)  # fmt: skip
_SUBJECTS = (
    "Cooperation", "Reform", "Alliances", "Renewal", "Modernisation",
    "Integration", "Resilience", "Outreach", "Stewardship", "Capacity",
)  # fmt: skip

TITLE = "Benchmark Handbook of Regional Security Practice"


def _sentence(rng: random.Random, topics: list[str]) -> str:
    actor = rng.choice(_ACTORS)
    subject = rng.choice(topics)
    obj = rng.choice(_TOPICS)
    form = rng.randrange(4)
    if form == 0:
        text = f"{subject} {rng.choice(_VERBS)} {obj} {rng.choice(_QUALIFIERS)}"
    elif form == 1:
        text = (
            f"{actor} {rng.choice(_VERBS)} {subject}, while {obj} "
            f"{rng.choice(_VERBS)} {rng.choice(_TOPICS)}"
        )
    elif form == 2:
        text = (
            f"in practice, {subject} and {obj} are reviewed {rng.choice(_QUALIFIERS)}"
        )
    else:
        text = (
            f"according to {actor}, progress on {subject} "
            f"{rng.choice(_VERBS)} how {obj} is organised"
        )
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, topics: list[str]) -> str:
    return " ".join(_sentence(rng, topics) for _ in range(rng.randint(2, 6)))


def _bullets(rng: random.Random, topics: list[str]) -> str:
    lines = [f"Priorities for {rng.choice(topics)} include:"]
    for _ in range(rng.randint(2, 5)):
        lines.append(f"- {_sentence(rng, topics)}")
        if rng.random() < 0.3:
            lines.append(f"  - {_sentence(rng, topics)}")
    return "\n".join(lines)


def _body(rng: random.Random, topics: list[str]) -> list[str]:
    blocks = [_paragraph(rng, topics) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.2:
        blocks.insert(rng.randint(1, len(blocks)), _bullets(rng, topics))
    return blocks


def generate(*, sections: int = 2000, seed: int = 2000) -> str:
    """A document with exactly ``sections`` headings (see the module docstring)."""
    rng = random.Random(seed)
    blocks = [TITLE]
    written = 0
    part = 0
    while written < sections:
        part += 1
        own = rng.sample(_TOPICS, 2)
        children = min(rng.choice((0, 0, 1, 1, 2, 3)), sections - written - 1)
        child_topics = [
            (rng.choice(_TOPICS), rng.choice(_ASPECTS)) for _ in range(children)
        ]
        # Five content words: a sub-section heading (two words) is never longer.
        blocks.append(
            f"{rng.choice(_ADJECTIVES)} {rng.choice(_SUBJECTS)} in "
            f"{own[0].capitalize()} and {own[1].capitalize()}, Part {part}"
        )
        # The parent's own text mentions its sub-sections' words (rule 5b).
        mentioned = own + [word for pair in child_topics for word in pair]
        body = _body(rng, own)
        if child_topics:
            body.append(
                "This section also covers "
                + ", ".join(f"{topic} {aspect}" for topic, aspect in child_topics)
                + "."
            )
        blocks.extend(body)
        written += 1
        for topic, aspect in child_topics:
            blocks.append(f"{topic.capitalize()} {aspect}")
            blocks.extend(_body(rng, [topic, *mentioned[:2]]))
            written += 1
    return "\n\n".join(blocks) + "\n"
