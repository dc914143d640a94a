"""Question dicts of every type (docs/question-format.md) for the quiz tests.

Every right answer, accepted answer, feedback text and general feedback carries a
unique marker string, so a test can prove that a page never shows it.
"""

import copy

SINGLE = {
    "type": "single",
    "title": "Capital of Peru",
    "text": "Which city is the capital of Peru?",
    "general_feedback": "GENERAL-MARKER-SINGLE",
    "options": [
        {"id": "a", "text": "Quito", "fraction": 0.0, "feedback": "FEEDBACK-MARKER-1"},
        {"id": "b", "text": "Lima", "fraction": 1.0, "feedback": "FEEDBACK-MARKER-2"},
        {"id": "c", "text": "Cusco", "fraction": 0.0, "feedback": "FEEDBACK-MARKER-3"},
    ],
}

MULTIPLE = {
    "type": "multiple",
    "title": "Andean countries",
    "text": "Which of these countries lie in the Andes?",
    "general_feedback": "GENERAL-MARKER-MULTIPLE",
    "options": [
        {"id": "a", "text": "Chile", "fraction": 0.5, "feedback": "FEEDBACK-MARKER-4"},
        {
            "id": "b",
            "text": "Bolivia",
            "fraction": 0.5,
            "feedback": "FEEDBACK-MARKER-5",
        },
        {
            "id": "c",
            "text": "Uruguay",
            "fraction": -1.0,
            "feedback": "FEEDBACK-MARKER-6",
        },
    ],
}

TRUEFALSE = {
    "type": "truefalse",
    "title": "Amazon",
    "text": "The Amazon flows into the Atlantic.",
    "general_feedback": "GENERAL-MARKER-TRUEFALSE",
    "correct": True,
    "feedback_true": "FEEDBACK-MARKER-7",
    "feedback_false": "FEEDBACK-MARKER-8",
}

SHORTANSWER = {
    "type": "shortanswer",
    "title": "Secret word",
    "text": "Type the secret word.",
    "general_feedback": "GENERAL-MARKER-SHORTANSWER",
    "case_sensitive": False,
    "answers": [
        {"text": "zebraquux", "fraction": 1.0, "feedback": "FEEDBACK-MARKER-9"},
        {"text": "zebraqu*", "fraction": 0.5, "feedback": "FEEDBACK-MARKER-10"},
    ],
}

NUMERICAL = {
    "type": "numerical",
    "title": "A big number",
    "text": "Give the number.",
    "general_feedback": "GENERAL-MARKER-NUMERICAL",
    "answers": [
        {
            "value": 987654.25,
            "tolerance": 0.5,
            "fraction": 1.0,
            "feedback": "FEEDBACK-MARKER-11",
        },
        {
            "min": 456789.5,
            "max": 456790.5,
            "fraction": 0.5,
            "feedback": "FEEDBACK-MARKER-12",
        },
    ],
}

MATCHING = {
    "type": "matching",
    "title": "Capitals",
    "text": "Match each country to its capital.",
    "general_feedback": "GENERAL-MARKER-MATCHING",
    "pairs": [
        {"id": "p1", "prompt": "Peru", "answer": "Lima"},
        {"id": "p2", "prompt": "Chile", "answer": "Santiago"},
        {"id": "p3", "prompt": "Brazil", "answer": "Brasilia"},
        {"id": "p4", "prompt": "Bolivia", "answer": "Sucre"},
    ],
    "distractors": ["Caracas"],
}

ORDERING = {
    "type": "ordering",
    "title": "Events in order",
    "text": "Put the events in the order they happened.",
    "general_feedback": "GENERAL-MARKER-ORDERING",
    "items": [
        {"id": "i1", "text": "Alpha event"},
        {"id": "i2", "text": "Bravo event"},
        {"id": "i3", "text": "Charlie event"},
        {"id": "i4", "text": "Delta event"},
        {"id": "i5", "text": "Echo event"},
    ],
}

ESSAY = {
    "type": "essay",
    "title": "Your view",
    "text": "Discuss military diplomacy.",
    "general_feedback": "GENERAL-MARKER-ESSAY",
    "max_length": 500,
    "response_template": "I think that",
}

DESCRIPTION = {
    "type": "description",
    "title": "Read this",
    "text": "The next questions are about the Andes.",
    "general_feedback": "",
}

CLOZE = {
    "type": "cloze",
    "title": "Andes in gaps",
    "text": (
        "The secret word is {1:SHORTANSWER:=clozequux#FEEDBACK-MARKER-13~*#"
        "FEEDBACK-MARKER-14}, Quito is the capital of {2:MULTICHOICE:=Ecuador#"
        "FEEDBACK-MARKER-15~Peru~Chile} and the number is {1:NUMERICAL:=123987:1}."
    ),
    "general_feedback": "GENERAL-MARKER-CLOZE",
}

ALL_TYPES = {
    "single": SINGLE,
    "multiple": MULTIPLE,
    "truefalse": TRUEFALSE,
    "shortanswer": SHORTANSWER,
    "numerical": NUMERICAL,
    "matching": MATCHING,
    "ordering": ORDERING,
    "essay": ESSAY,
    "description": DESCRIPTION,
    "cloze": CLOZE,
}

# Strings that reveal a right answer or feedback; none may reach an attempt page.
SECRET_MARKERS = [f"FEEDBACK-MARKER-{n}" for n in range(1, 16)] + [
    f"GENERAL-MARKER-{kind.upper()}" for kind in ALL_TYPES if kind != "description"
]
SECRET_ANSWERS = [
    "zebraquux",
    "zebraqu*",
    "987654",
    "456789",
    "456790",
    "clozequux",
    "123987",
]


def sample(kind: str, **changes) -> dict:
    """A deep copy of the sample question of a type, with keys changed."""
    data = copy.deepcopy(ALL_TYPES[kind])
    data.update(changes)
    return data


def single(text: str = "Pick one", *, key: str | None = None, **changes) -> dict:
    """A small single-choice question whose right option is "Right"."""
    data = {
        "type": "single",
        "title": "",
        "text": text,
        "general_feedback": "",
        "options": [
            {"id": "r", "text": "Right", "fraction": 1.0, "feedback": ""},
            {"id": "w", "text": "Wrong", "fraction": 0.0, "feedback": ""},
        ],
    }
    if key:
        data["key"] = key
    data.update(changes)
    return data
