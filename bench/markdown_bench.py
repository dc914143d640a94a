"""How long the worst Markdown the guard accepts takes to render.

``lessons.markdown_guard`` refuses text that would crash or stall python-markdown;
the goal is that whatever it accepts renders in under a second. For each shape
known to be slow (unclosed brackets, thousands of headings or rules in one block,
markup characters in one long paragraph, deep nesting, ...) the bench repeats the
shape as often as the guard still accepts (binary search), then times
``render_markdown`` on it: the worst of those times is the figure. The issue's
inputs (a list nested 300 levels, ``[a](`` 8,000 times) are timed too: the guard
must refuse them at once.
"""

import time

from bench.core import Context, Table, benchmark, fmt_seconds

GOAL_SECONDS = 1.0

# Shapes repeated to the guard's limit; each stresses one part of python-markdown.
SHAPES = {
    "unclosed link [a](": "[a](",
    "opening brackets [": "[",
    "image openers ![": "![",
    "unclosed references [a][": "[a][",
    "abbreviation starts *[": "*[",
    "footnote starts [^": "[^",
    "CDATA openers": "<![CDATA[",
    "raw HTML starts <a": "<a",
    "unclosed start tags <a href=": "<a href=",
    "references to one footnote": "[^n] ",
    "link definitions in one block": "[a]: b\n",
    "list markers on one line": "1. ",
    "autolink starts <http:": "<http:",
    "backslash escapes": "\\",
    "emphasis *a*": "*a* ",
    "hard line breaks": "a  \n",
    "rules in one block": "* * *\n",
    "headings in one block": "# a\n",
    "setext headings in one block": "a\n---\n",
    "abbreviations in one block": "*[a]: b\n",
    "definitions in one block": "a\n: b\n",
    "paragraphs": "a\n\n",
    "loose list items": "- a\n\n",
    "list items": "- a\n",
    "fence lines": "```\n",
    "empty fenced blocks": "```\n```\n",
    "fenced blocks": "~~~\na [ ( * < _\n~~~\n\n",
    "definitions, blank-separated": "a\n: b\n\n",
    "table rows": "|a|b|\n",
}
# The inputs: the guard must refuse them, fast.
REFUSED = {
    "list nested 300 levels (issue)": "".join(
        "    " * level + "- a\n" for level in range(300)
    ),
    "[a]( x 8,000 (issue)": "[a](" * 8000,
}


def _largest_accepted(unit: str, max_chars: int) -> str:
    from lessons.markdown_guard import markdown_problems

    low, high = 1, max(1, max_chars // len(unit))
    while low < high:
        middle = (low + high + 1) // 2
        if markdown_problems(unit * middle):
            high = middle - 1
        else:
            low = middle
    return unit * low


def _nested_to_the_limit(depth: int) -> str:
    return "".join("    " * level + "- a\n" for level in range(depth)) * 20


def _timed(func, text: str, repeats: int) -> float:
    worst = 0.0
    for _ in range(repeats):
        start = time.perf_counter()
        func(text)
        worst = max(worst, time.perf_counter() - start)
    return worst


@benchmark(
    "markdown",
    title="Worst render time of Markdown the guard accepts (pathological shapes)",
    order=25,
)
def markdown_worst(ctx: Context) -> Table:
    ctx.django()
    from django.conf import settings

    from lessons.markdown_guard import markdown_problems
    from lessons.rendering import render_markdown

    repeats = ctx.pick(3, 1)
    table = Table(
        "Markdown within the guard's limits: render time (worst of "
        f"{repeats} runs), in process",
        ["input", "size", "guard", "render", "goal"],
    )
    inputs = {
        name: _largest_accepted(unit, settings.MARKDOWN_MAX_CHARS)
        for name, unit in SHAPES.items()
    }
    inputs[f"lists nested {settings.MARKDOWN_MAX_DEPTH} levels, x20"] = (
        _nested_to_the_limit(settings.MARKDOWN_MAX_DEPTH)
    )
    worst_name, worst = "", 0.0
    for name, text in inputs.items():
        assert not markdown_problems(text), name
        guard = _timed(markdown_problems, text, repeats)
        render = _timed(render_markdown, text, repeats)
        if render > worst:
            worst_name, worst = name, render
        table.add(name, f"{len(text):,}", fmt_seconds(guard), fmt_seconds(render), "")
        table.data[name] = {"chars": len(text), "guard_s": guard, "render_s": render}
    for name, text in REFUSED.items():
        assert markdown_problems(text), name
        guard = _timed(markdown_problems, text, repeats)
        table.add(name, f"{len(text):,}", fmt_seconds(guard), "refused", "")
        table.data[name] = {"chars": len(text), "guard_s": guard, "refused": True}
    verdict = "met" if worst < GOAL_SECONDS else "NOT met"
    table.add(f"worst: {worst_name}", "", "", fmt_seconds(worst), f"< 1 s {verdict}")
    table.data["worst"] = {"input": worst_name, "render_s": worst}
    table.notes.append(
        "each shape is repeated as often as lessons.markdown_guard accepts "
        f"(MARKDOWN_MAX_CHARS={settings.MARKDOWN_MAX_CHARS:,}); render = "
        "render_markdown (python-markdown + nh3)"
    )
    return table
