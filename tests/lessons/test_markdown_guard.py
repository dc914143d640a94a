"""lessons.markdown_guard: text that would crash or stall python-markdown is
refused with a clear message, and never reaches the renderer."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lessons import markdown_guard
from lessons.markdown_guard import markdown_cost, markdown_problems
from lessons.rendering import render_markdown

NESTED_LIST = "".join("    " * level + "- a\n" for level in range(300))
LINK_OPENERS = "[a](" * 8000
PATHOLOGICAL = {
    "list nested 300 levels": NESTED_LIST,
    "quotes nested 300 levels": "".join(">" * level + " a\n" for level in range(300)),
    "unclosed link, 8000 times": LINK_OPENERS,
    "30,000 opening brackets": "[" * 30_000,
    "image openers": "![" * 15_000,
    "unclosed references": "[a][" * 8000,
    "5,000 rules in one block": "* * *\n" * 5000,
    "500 definitions in one block": "a\n: b\n" * 500,
    "too long": "word " * 30_000,
    "list markers nested on one line": "1. " * 300,
    "brackets closed only by escaped ones": "> <div>[\\]\n" * 2000,
    "list markers after raw HTML": "<!--&#-->1. " * 300,
    "one footnote referenced 2,000 times": "[^n] " * 2000 + "\n\n[^n]: note\n",
    "unclosed HTML tags": "  \n<a href=<a href=**[a]: b\n" * 2000,
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_text_is_refused_with_a_message(text):
    problems = markdown_problems(text)

    assert problems
    assert all(isinstance(problem, str) and problem for problem in problems)


def test_the_nesting_message_says_how_deep_and_the_limit():
    (problem,) = markdown_problems("".join("    " * n + "- a\n" for n in range(100)))

    assert "100" in problem
    assert "20" in problem


@pytest.mark.parametrize(
    "text",
    [
        "# Title\n\nSome *text* with a [link](https://example.org) and `code`.",
        "- a\n    - b\n        - c\n\n> quoted\n> > twice",
        "| a | b |\n|---|---|\n" + "| 1 | [x](y) |\n" * 1000,
        "A paragraph (with a parenthesis and [brackets]) " * 400,
        "term\n: definition\n\n" * 200,
        "```\n" + "    - deeply indented code\n" * 50 + "```\n",
    ],
)
def test_ordinary_text_passes(text):
    assert markdown_problems(text) == []


def test_the_seed_course_passes_the_guard():
    with open("content/military-diplomacy-in-south-america.txt", encoding="utf-8") as f:
        text = f.read()
    # The whole document, let alone each of its sections.
    assert markdown_problems(text) == []


def test_the_size_limit_comes_from_settings(settings):
    settings.MARKDOWN_MAX_CHARS = 10

    assert markdown_problems("x" * 11)
    assert markdown_problems("x" * 10) == []


def test_the_depth_limit_comes_from_settings(settings):
    settings.MARKDOWN_MAX_DEPTH = 2

    assert markdown_problems("- a\n    - b\n        - c\n")
    assert markdown_problems("- a\n    - b\n") == []


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_refused_text_renders_escaped_instead_of_failing(text):
    html = render_markdown(text)

    assert html.startswith("<pre")
    assert "<li>" not in html


def test_stored_text_nested_too_deeply_renders_escaped_not_recursion_error():
    html = render_markdown(NESTED_LIST + "<b>x</b>")

    assert html.startswith('<pre class="markdown-unrendered">')
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_a_recursion_error_inside_markdown_is_shown_escaped(monkeypatch):
    import lessons.rendering as rendering  # noqa: PLC0415

    def explode(text):
        raise RecursionError

    monkeypatch.setattr(rendering._parser(), "convert", explode)

    assert render_markdown("*a*") == '<pre class="markdown-unrendered">*a*</pre>'


# Building blocks of text shaped to stress python-markdown: containers, brackets,
# emphasis, raw HTML, headings and rules, in any order and at any depth.
_PIECES = st.sampled_from(
    [
        "- ", "    ", "> ", "1. ", "[", "]", "(", ")", "![", "](", "*", "_", "`",
        "<", ">", "&#", "\\", "#", "---", "===", "*[", "[^", ": ", "|", "\n", "\n\n",
        "a", "word ", "<div>", "</div>", "```",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=400), st.integers(min_value=1, max_value=40))
def test_text_within_the_limits_never_raises(pieces, repeat):
    text = "".join(pieces) * repeat
    html = render_markdown(text)

    assert isinstance(html, str)
    if markdown_problems(text):
        assert html.startswith("<pre")


def test_the_cost_of_ordinary_text_is_tiny():
    assert markdown_cost("Some *text* and a [link](x).\n\n" * 100) < 0.01


def test_quotes_and_lists_count_one_level_each():
    quoted_lists = "".join("> " * level + "- a\n" for level in range(20))

    assert markdown_problems(quoted_lists) == []
    assert markdown_problems(quoted_lists + "> " * 20 + "- a\n")


def test_a_long_lesson_posted_with_crlf_line_endings_passes():
    paragraph = (
        "The *treaty* of 1828 ([text](https://example.org/treaty)) ended the war; "
        "see `Montevideo` and **Rio** for the rest of the story.\r\n"
    )
    text = "\r\n".join(f"## Part {n}\r\n\r\n{paragraph * 3}" for n in range(150))

    assert len(text) > 50_000
    assert markdown_problems(text) == []


def test_fenced_code_is_not_measured_as_markdown():
    code = "x = [(a, b) for a in c if d < e]  # *args, **kwargs, [unclosed (\n" * 1500
    fenced = f"Some code:\n\n```python\n{code}```\n"

    assert len(fenced) > 90_000
    assert markdown_problems(fenced) == []
    # Without its closing fence it is Markdown, and measured as such.
    assert markdown_problems(f"Some code:\n\n```python\n{code}")


def test_a_recursion_error_leaves_no_state_behind_for_the_next_text(monkeypatch):
    import lessons.rendering as rendering  # noqa: PLC0415

    ordinary = "- a\n\n    b\n- c\n\n> quote\n\n1. one\n2. two\n"
    expected = render_markdown(ordinary)
    monkeypatch.setattr(rendering, "markdown_problems", lambda text: [])

    assert render_markdown("1. " * 2000).startswith("<pre")  # a real RecursionError
    assert render_markdown(ordinary) == expected


# The guard does not work out the cost of one short line (bank files are mostly
# such lines): whatever such a line holds, it must stay well within the budget.
_SPECIALS = "[]()<>!^*_`#&\\\"'=:|{}~+-. a1"


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(_SPECIALS),
        max_size=markdown_guard._CHEAP_LINE_CHARS,
    )
)
def test_a_short_line_is_within_the_budget_whatever_it_holds(line):
    assert markdown_guard.markdown_cost(line) < markdown_guard.COST_BUDGET / 4


@pytest.mark.parametrize("char", ["[", "(", "![", "[^a]", "<a ", "*"])
def test_the_worst_short_lines_are_within_the_budget(char):
    line = (char * markdown_guard._CHEAP_LINE_CHARS)[: markdown_guard._CHEAP_LINE_CHARS]
    assert markdown_guard.markdown_cost(line) < markdown_guard.COST_BUDGET / 4


def test_a_short_line_nested_too_deep_is_still_refused():
    line = "- " * (markdown_guard.DEFAULT_MAX_DEPTH + 5) + "x"
    assert len(line) <= markdown_guard._CHEAP_LINE_CHARS
    assert markdown_guard.markdown_problems(line)
