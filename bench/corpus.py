"""How faithfully real documents become courses: ``bench/run.py --only corpus``.

The corpus is a folder of real documents ``NN-name.ext``, each with a hand-written
``NN-name.expected.json`` (its title and outline, a few sentences it contains),
beside it or else in ``tests/corpus/documents`` (where they are committed). It
is not part of this repository (the documents' licences do not allow it): point
``COURSESITE_CORPUS`` at its ``documents`` folder, by default
``../shared/corpus/documents`` next to the repository.

Per format the table shows:

- **refused**: documents the reader raised an error for (they count for
  nothing in the other columns but nesting and title);
- **sentences in order**: the expected sample sentences found in the course
  (title, headings and lesson bodies in order, markup and spacing ignored), in
  the document's own reading order (:func:`reading_text`: the source of a text
  format, the page's body of an HTML page, the paragraphs of a .docx, the
  document inside a .zip), whatever order the expectation lists them in;
- **words kept**: the share of the document's words found, in order, in the
  course (front matter and markup account for the rest);
- **heading P / R / F1**: the course's headings (modules, lessons and the headings
  kept inside lesson bodies) against every heading of the expected outline;
- **nesting right**: documents whose headings, with their depth, are exactly the
  expected outline; **title right**: documents whose course title is the expected
  one.

Formats nobody reads yet are reported as "no reader". It is a report: nothing fails.
"""

import difflib
import html
import io
import json
import os
import re
import time
import zipfile
from pathlib import Path

import lxml.html
from lxml import etree

from bench.core import ROOT, Context, Table, benchmark

_TEXT_FORMATS = (".md", ".markdown", ".rst", ".txt")
_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_MARKUP = re.compile(r"[*_`\\#>|\[\]]")
_WORD = re.compile(r"\w+")
_ROLE = re.compile(r":[\w:+-]+:(?=`)")
_TAG = re.compile(r"<[^>]*>?")
_LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")


def corpus_folder() -> Path:
    configured = os.environ.get("COURSESITE_CORPUS")
    if configured:
        return Path(configured)
    return ROOT.parent / "shared" / "corpus" / "documents"


def normalise(text: str) -> str:
    text = _ROLE.sub("", text)  # reStructuredText's :role:`text`
    return " ".join(_MARKUP.sub("", text).split()).casefold()


def expected_headings(outline: list, depth: int = 0) -> list[tuple[str, int]]:
    found = []
    for entry in outline:
        found.append((normalise(entry["title"]), depth))
        found += expected_headings(entry["children"], depth + 1)
    return found


def _body_headings(body: str, depth: int) -> list[tuple[str, int]]:
    """ATX headings kept inside a lesson body, their depth relative to the body."""
    found, fence = [], None
    for line in body.split("\n"):
        opening = _FENCE.match(line)
        if fence:
            if line.strip().startswith(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        match = _ATX.match(line)
        if match:
            found.append((len(match.group(1)), match.group(2)))
    if not found:
        return []
    top = min(level for level, _ in found)
    return [(normalise(title), depth + level - top) for level, title in found]


def course_headings(parsed) -> list[tuple[str, int]]:
    """The course's headings with their depth: module 0, lesson 1, then inside."""
    found = []
    for module in parsed.modules:
        is_section = bool(module.source_heading)
        if is_section:
            found.append((normalise(module.title), 0))
        for index, lesson in enumerate(module.lessons):
            own = index == 0 and lesson.title == module.title
            depth = 0 if own else 1
            if not own and lesson.source_heading:
                found.append((normalise(lesson.title), 1))
            found += _body_headings(lesson.body_markdown, depth + 1)
    return found


def course_text(parsed) -> str:
    parts = [parsed.title, getattr(parsed, "description", "") or ""]
    for module in parsed.modules:
        parts.append(module.title)
        for lesson in module.lessons:
            parts += [lesson.title, lesson.body_markdown]
    return "\n".join(parts)


def sentences_in_order(samples: list[str], text: str) -> tuple[int, int]:
    # A Markdown link's target is not text a reader reads: "[Netscape](/wiki/...)".
    haystack, position, kept = normalise(_LINK_TARGET.sub("]", text)), 0, 0
    for sample in samples:
        found = haystack.find(normalise(_LINK_TARGET.sub("]", sample)), position)
        if found >= 0:
            kept += 1
            position = found
    return kept, len(samples)


_HTML_FORMATS = (".html", ".htm")
_ZIP_DOCUMENTS = (".md", ".markdown", ".html", ".htm")
_NOT_READ = ("script", "style", "noscript", "template")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def reading_text(data: bytes, name: str) -> str:
    """The document's own text in its reading order, read without the importer
    (which is what is measured): the decoded source of a text format; the body of
    an HTML page, tags dropped (as the samples copied from it are), without
    scripts and styles; the paragraphs of a .docx's ``word/document.xml`` in the
    order they are written, one a line; the Markdown or HTML document inside a
    .zip. Empty for a format it does not know."""
    suffix = Path(name).suffix.lower()
    if suffix in _TEXT_FORMATS:
        from lessons import importing

        return importing.decode_document(data)
    if suffix in _HTML_FORMATS:
        tree = lxml.html.document_fromstring(data)
        for element in tree.iter(*_NOT_READ):
            element.drop_tree()
        body = tree.find("body")
        return (body if body is not None else tree).text_content()
    if suffix in (".docx", ".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if suffix == ".docx":
                return _docx_paragraphs(archive.read("word/document.xml"))
            for member in archive.namelist():
                if Path(member).suffix.lower() in _ZIP_DOCUMENTS:
                    return reading_text(archive.read(member), member)
    return ""


def _docx_paragraphs(xml: bytes) -> str:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    lines = []
    for element in etree.fromstring(xml, parser).iter(f"{_W}p", f"{_W}t", f"{_W}tab"):
        if element.tag == f"{_W}p":
            lines.append("")
        elif lines and element.tag == f"{_W}t":
            lines[-1] += element.text or ""
        elif lines and element.getparent().tag == f"{_W}r":  # a tab in the text
            lines[-1] += " "
    return "\n".join(lines)


def in_reading_order(samples: list[str], reading: str) -> list[str]:
    """The samples sorted by where each first occurs in ``reading`` (compared as
    :func:`sentences_in_order` compares them); a sample not found there keeps
    its place among the others at the end."""
    haystack = normalise(_LINK_TARGET.sub("]", reading))

    def position(sample: str) -> int:
        found = haystack.find(normalise(_LINK_TARGET.sub("]", sample)))
        return found if found >= 0 else len(haystack)

    return sorted(samples, key=position)


def words_kept(source: str, text: str) -> tuple[int, int]:
    source_words = _WORD.findall(source.casefold())
    course_words = _WORD.findall(text.casefold())
    matcher = difflib.SequenceMatcher(None, source_words, course_words, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return matched, len(source_words)


def heading_scores(found: list, expected: list) -> tuple[int, int, int]:
    """(true positives, found, expected), titles compared as multisets."""
    remaining = [title for title, _ in expected]
    hits = 0
    for title, _ in found:
        if title in remaining:
            remaining.remove(title)
            hits += 1
    return hits, len(found), len(expected)


def read_document(path: Path):
    """The parsed course, or None when no reader handles this format."""
    from lessons import importing

    if path.suffix in _TEXT_FORMATS:
        text = importing.decode_document(path.read_bytes())
        return importing.parse_document(text, filename=upload_name(path)), text
    parse_file = getattr(importing, "parse_file", None)
    if parse_file is None:
        return None, None
    return parse_file(path.read_bytes(), filename=upload_name(path)), None


#: The hand-written expectations, committed with the tests.
EXPECTATIONS = ROOT / "tests" / "corpus" / "documents"


def expectations(folder: Path) -> list[Path]:
    """The ``*.expected.json`` beside the documents, else the committed ones."""
    return sorted(folder.glob("*.expected.json")) or sorted(
        EXPECTATIONS.glob("*.expected.json")
    )


_SOURCES = ROOT / "tests" / "corpus" / "SOURCES.md"


def original_names() -> dict[str, str]:
    """Each corpus file's name where it was found (SOURCES.md's path column),
    when it is the same kind of file: an instructor uploads
    "Python-PettingZoo-API-Documentation.md", not "25-mlagents-....md"."""
    names = {}
    if not _SOURCES.is_file():
        return names
    for line in _SOURCES.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 5 or not re.match(r"\d\d-", cells[0]):
            continue
        original = cells[4].split(" + ")[0].rsplit("/", 1)[-1]
        if Path(original).suffix == Path(cells[0]).suffix:
            names[cells[0]] = original
    return names


def upload_name(path: Path) -> str:
    """The name a corpus document is read under (see :func:`original_names`)."""
    return original_names().get(path.name, path.name)


def measure(folder: Path) -> dict[str, dict]:
    results: dict[str, dict] = {}
    for expected_path in expectations(folder):
        stem = expected_path.name.removesuffix(".expected.json")
        documents = [
            p for p in folder.glob(f"{stem}.*") if not p.name.endswith(".expected.json")
        ]
        if not documents:
            continue
        path = documents[0]
        fmt = path.suffix.lstrip(".")
        row = results.setdefault(
            fmt,
            {"documents": 0, "read": 0, "errors": [], "sentences": [0, 0],
             "words": [0, 0], "headings": [0, 0, 0], "nesting": 0, "title": 0,
             "seconds": 0.0, "wrong": []},
        )  # fmt: skip
        row["documents"] += 1
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        start = time.perf_counter()
        try:
            parsed, source = read_document(path)
        except Exception as error:  # noqa: BLE001 (a report, not a test)
            row["errors"].append(f"{path.name}: {error}")
            continue
        row["seconds"] += time.perf_counter() - start
        if parsed is None:
            continue
        row["read"] += 1
        text = course_text(parsed)
        samples = expected.get("sentences_sample", [])
        if fmt == "html":  # samples copied from the page's source: its words
            samples = [html.unescape(_TAG.sub("", sample)) for sample in samples]
        samples = in_reading_order(
            samples, reading_text(path.read_bytes(), upload_name(path))
        )
        for i, value in enumerate(sentences_in_order(samples, text)):
            row["sentences"][i] += value
        if source is not None:
            for i, value in enumerate(words_kept(source, text)):
                row["words"][i] += value
        found = course_headings(parsed)
        wanted = expected_headings(expected["outline"])
        for i, value in enumerate(heading_scores(found, wanted)):
            row["headings"][i] += value
        if found == wanted:
            row["nesting"] += 1
        else:
            row["wrong"].append(path.name)
        if normalise(parsed.title) == normalise(expected["title"]):
            row["title"] += 1
    return results


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "-"


@benchmark("corpus", title="Real documents: structure and text kept", order=25)
def corpus(ctx: Context) -> Table:
    folder = corpus_folder()
    table = Table(
        f"Corpus {folder}",
        ["format", "documents", "refused", "sentences in order %", "words kept %",
         "heading P", "heading R", "heading F1", "nesting right", "title right",
         "seconds"],
    )  # fmt: skip
    if not folder.is_dir():
        print("corpus not found")
        table.notes.append(f"corpus not found (set COURSESITE_CORPUS): {folder}")
        return table
    results = measure(folder)
    for fmt, row in sorted(results.items()):
        if not row["read"] and not row["errors"]:
            blank = [""] * 6
            table.add(fmt, row["documents"], "", "no reader", "", *blank)
            continue
        hits, found, wanted = row["headings"]
        precision = hits / found if found else 0.0
        recall = hits / wanted if wanted else 0.0
        f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
        table.add(
            fmt,
            row["documents"],
            len(row["errors"]),
            _percent(*row["sentences"]),
            _percent(*row["words"]),
            f"{precision:.2f}",
            f"{recall:.2f}",
            f"{f1:.2f}",
            f"{row['nesting']}/{row['documents']}",
            f"{row['title']}/{row['documents']}",
            f"{row['seconds']:.2f}",
        )
        for error in row["errors"]:
            table.notes.append(f"error: {error}")
        if row["wrong"]:
            table.notes.append(f"{fmt} nesting wrong: {', '.join(row['wrong'])}")
    table.data = results
    return table
