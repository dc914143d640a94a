"""The readers' warnings and errors are translatable (issue 11): each is a lazy
string that goes through gettext when it is shown, in the language of the
request showing it, not when the document was parsed. (The translations
themselves are the lead's; here gettext is replaced by one that marks what
passes through it.)"""

import io
import zipfile

import pytest
from django.utils import translation
from django.utils.functional import Promise

from lessons.document_import import document_warnings
from lessons.importing import DocumentError, parse_document, parse_file


@pytest.fixture
def marked(monkeypatch):
    """gettext as a translation would make it: every message it sees is marked."""
    translation.gettext("")  # let Django bind its real gettext first
    real = translation._trans.gettext
    monkeypatch.setattr(translation._trans, "gettext", lambda text: f"«{real(text)}»")


FRONT_MATTER = "---\ntitle: Rivers\n---\n\n## Coast\n\nDry.\n\n## Amazon\n\nWet.\n"


def test_warnings_are_lazy_and_translated_when_shown(marked):
    parsed = parse_document(FRONT_MATTER, filename="rivers.md")
    (warning,) = parsed.warnings
    assert isinstance(warning, Promise)
    assert str(warning) == "«front matter used as metadata, not shown in lessons»"


def test_guessed_headings_warning_is_translated_with_its_values(marked):
    text = "Rivers\n\nCoast\n\nThe coast is dry and long.\n\nAmazon\n\nIt is wet.\n"
    parsed = parse_document(text, filename="rivers.txt")
    shown = [str(warning) for warning in parsed.warnings]
    assert shown == ["«2 heading(s) guessed from the text's layout: Coast; Amazon»"]
    # What the preview lists, in the request's language.
    assert shown[0] in document_warnings(parsed)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "empty.md"),
        (b"\x00\x01binary", "binary.txt"),
        (b"caf\xe9 au lait\n", "latin1.md"),
        (b"no headings at all, only one sentence.\n", "flat.md"),
        (b"PK\x03\x04 damaged", "broken.zip"),
    ],
)
def test_reader_errors_are_lazy_and_translated_when_shown(marked, data, name):
    with pytest.raises(DocumentError) as caught:
        parse_file(data, filename=name)
    assert isinstance(caught.value.message, Promise)
    assert str(caught.value).startswith("«")


def test_zip_refusals_name_the_file_in_the_translated_message(marked):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil.md", "# Evil\n\n## A\n\nText.\n")
    with pytest.raises(DocumentError) as caught:
        parse_file(buffer.getvalue(), filename="bundle.zip")
    shown = str(caught.value)
    assert shown.startswith("«the «zip file» is refused")
    assert "../evil.md" in shown


def test_an_error_line_number_is_translated_too(marked):
    error = DocumentError("bad", line=3)
    assert str(error) == "«line 3: bad»"
