"""Real documents against their hand-written outlines (issue 11, section 4).

For every ``tests/corpus/documents/NN-name.expected.json`` the document
``NN-name.<ext>`` is read from the corpus folder with the same engine as the web
import (``lessons.document_import.document_read``), and compared with what a
reader of the document wrote down: the course title, the heading tree (titles
and nesting) and sample sentences (each kept, in the document's own reading
order: ``bench.corpus.reading_text``, for every format).

The documents are other people's work and not committed (see README.md and
SOURCES.md here). The folder is ``$COURSESITE_CORPUS``, else
``../shared/corpus/documents`` next to the repository, else
``/work/corpus/documents``; without one, every test is skipped. Each document is
read under the name it had where it was found (SOURCES.md), as an instructor
would upload it.

The comparisons are those of ``bench/corpus.py`` (one home for how a course's
headings and text are read back), so the bench's "nesting right" and these
tests agree.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pytest

from bench.corpus import (
    _TAG,
    course_headings,
    course_text,
    expected_headings,
    in_reading_order,
    normalise,
    reading_text,
    sentences_in_order,
    upload_name,
)
from lessons.document_import import document_read
from tests.corpus import material_missing

EXPECTATIONS = Path(__file__).parent / "documents"
REPOSITORY = Path(__file__).resolve().parents[2]
SKIP_REASON = "real corpus not present: see tests/corpus/README.md"


def corpus_folder() -> Path | None:
    configured = os.environ.get("COURSESITE_CORPUS")
    candidates = (
        [Path(configured)]
        if configured
        else [
            REPOSITORY.parent / "shared" / "corpus" / "documents",
            Path("/work/corpus/documents"),
        ]
    )
    return next((folder for folder in candidates if folder.is_dir()), None)


def _stems(known_failures: dict[str, str] | None = None) -> list:
    stems = sorted(
        path.name.removesuffix(".expected.json")
        for path in EXPECTATIONS.glob("*.expected.json")
    )
    known_failures = known_failures or {}
    return [
        pytest.param(
            stem, marks=pytest.mark.xfail(strict=True, reason=known_failures[stem])
        )
        if stem in known_failures
        else stem
        for stem in stems
    ]


# Known failures (see README.md): strict, so a fix shows up as XPASS.
OUTLINE_FAILURES = {
    "34-firefox-nightly-these-weeks-85": (
        "plain text does not show the page's h3/h4/h5 levels (README.md)"
    ),
}
# 18-wikipedia-mozilla's licence footer is kept since the HTML reader keeps a
# page's licence line (lessons/importing/html.py).
SENTENCE_FAILURES: dict[str, str] = {}


def _document(stem: str) -> Path:
    folder = corpus_folder()
    if folder is None:
        material_missing(SKIP_REASON)
    found = [
        path
        for path in folder.glob(f"{stem}.*")
        if not path.name.endswith(".expected.json")
    ]
    if not found:
        material_missing(f"{SKIP_REASON} ({stem} is missing from {folder})")
    return found[0]


def _read(stem: str):
    path = _document(stem)
    expected = json.loads((EXPECTATIONS / f"{stem}.expected.json").read_text("utf-8"))
    return path, expected, document_read(data=path.read_bytes(), name=upload_name(path))


def _outline(headings: list[tuple[str, int]]) -> list[str]:
    """Headings as indented lines: a failing test shows the two trees."""
    return [f"{'  ' * depth}{title}" for title, depth in headings]


@pytest.mark.parametrize("stem", _stems(OUTLINE_FAILURES))
def test_outline_is_the_authors(stem):
    _path, expected, parsed = _read(stem)
    assert _outline(course_headings(parsed)) == _outline(
        expected_headings(expected["outline"])
    )


@pytest.mark.parametrize("stem", _stems())
def test_title_is_the_documents(stem):
    _path, expected, parsed = _read(stem)
    assert normalise(parsed.title) == normalise(expected["title"])


@pytest.mark.parametrize("stem", _stems(SENTENCE_FAILURES))
def test_sample_sentences_are_kept_in_order(stem):
    path, expected, parsed = _read(stem)
    samples = expected.get("sentences_sample", [])
    if path.suffix == ".html":  # copied from the page's source: its words
        samples = [html.unescape(_TAG.sub("", sample)) for sample in samples]
    text = course_text(parsed)
    missing = [
        sample for sample in samples if sentences_in_order([sample], text)[0] == 0
    ]
    assert missing == []
    # In the document's own reading order, whatever order the expectation lists.
    samples = in_reading_order(samples, reading_text(path.read_bytes(), path.name))
    kept, total = sentences_in_order(samples, text)
    assert kept == total


def test_every_expectation_names_a_document_of_a_known_format():
    """The expectations are committed; each says what its document is."""
    stems = _stems()
    assert len(stems) >= 30
    for stem in stems:
        expected = json.loads(
            (EXPECTATIONS / f"{stem}.expected.json").read_text("utf-8")
        )
        assert expected["title"] and expected["outline"], stem
