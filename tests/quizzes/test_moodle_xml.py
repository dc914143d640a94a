# ruff: noqa: E501  (XML fixtures read best one element per line)
"""Moodle XML parse and write (quizzes.moodle_xml): each type, each construct,
error lines, and the safety of the XML parser. The files are written here in
the style of Moodle's exports."""

import base64

import pytest

from quizzes.gift import ANY_NUMBER
from quizzes.grading import validate_question
from quizzes.moodle_xml import (
    MoodleXmlError,
    looks_like_moodle_xml,
    parse_moodle_xml,
    rewrite_pluginfile_links,
    write_moodle_xml,
)


def quiz(*questions: str) -> bytes:
    body = "\n".join(questions)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n{body}\n</quiz>\n'.encode()


def question(qtype: str, inner: str = "", name: str = "Q", text: str = "Text") -> str:
    return f"""<question type="{qtype}">
<name><text>{name}</text></name>
<questiontext format="html"><text><![CDATA[{text}]]></text></questiontext>
<generalfeedback format="html"><text>General</text></generalfeedback>
<defaultgrade>2.0000000</defaultgrade>
<penalty>0.3333333</penalty>
<hidden>0</hidden>
<idnumber>q-1</idnumber>
{inner}
</question>"""


def only(data: bytes) -> dict:
    parsed = parse_moodle_xml(data)
    assert len(parsed.questions) == 1
    return parsed.questions[0].question


def errors(data: bytes) -> list[str]:
    with pytest.raises(MoodleXmlError) as caught:
        parse_moodle_xml(data)
    return [str(problem) for problem in caught.value.errors]


def test_multichoice_single_with_feedback_and_html_answers():
    q = only(
        quiz(
            question(
                "multichoice",
                """<single>true</single><shuffleanswers>true</shuffleanswers>
<answernumbering>abc</answernumbering>
<answer fraction="100" format="html"><text><![CDATA[<p>Paris</p>]]></text>
<feedback format="html"><text>Yes</text></feedback></answer>
<answer fraction="0" format="html"><text>Lyon &amp; co</text>
<feedback format="html"><text>No</text></feedback></answer>""",
                text="<p>Capital of <b>France</b>?</p>",
            )
        )
    )
    assert q["type"] == "single"
    assert q["title"] == "Q"
    assert q["text"] == "<p>Capital of <b>France</b>?</p>"
    assert q["format"] == "html"
    assert q["general_feedback"] == "General"
    assert q["default_mark"] == 2.0
    assert [o["text"] for o in q["options"]] == ["Paris", "Lyon & co"]
    assert [o["fraction"] for o in q["options"]] == [1.0, 0.0]
    assert [o["feedback"] for o in q["options"]] == ["Yes", "No"]
    assert validate_question(q) == []


@pytest.mark.parametrize("value", ["false", "0", "", " false "])
def test_multichoice_single_false_zero_or_empty_is_multiple(value):
    q = only(
        quiz(
            question(
                "multichoice",
                f"""<single>{value}</single>
<answer fraction="50"><text>a</text></answer>
<answer fraction="50"><text>b</text></answer>
<answer fraction="-100"><text>c</text></answer>""",
            )
        )
    )
    assert q["type"] == "multiple"
    assert [o["fraction"] for o in q["options"]] == [0.5, 0.5, -1.0]


def test_multichoice_without_single_is_single():
    q = only(
        quiz(
            question(
                "multichoice",
                '<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>',
            )
        )
    )
    assert q["type"] == "single"


def test_truefalse_by_answer_text_not_position():
    q = only(
        quiz(
            question(
                "truefalse",
                """<answer fraction="0"><text>false</text><feedback><text>F!</text></feedback></answer>
<answer fraction="100"><text>true</text><feedback><text>T!</text></feedback></answer>""",
            )
        )
    )
    assert q["type"] == "truefalse"
    assert q["correct"] is True
    assert (q["feedback_true"], q["feedback_false"]) == ("T!", "F!")


def test_truefalse_other_texts_fall_back_to_position_with_a_warning():
    parsed = parse_moodle_xml(
        quiz(
            question(
                "truefalse",
                """<answer fraction="0"><text>Vrai</text></answer>
<answer fraction="100"><text>Faux</text></answer>""",
            )
        )
    )
    assert parsed.questions[0].question["correct"] is False
    assert "first is read as true" in str(parsed.warnings[0])


def test_shortanswer_usecase_and_answers():
    q = only(
        quiz(
            question(
                "shortanswer",
                """<usecase>1</usecase>
<answer fraction="100" format="moodle_auto_format"><text>H2O</text><feedback><text>ok</text></feedback></answer>
<answer fraction="50"><text>water*</text></answer>""",
            )
        )
    )
    assert q["type"] == "shortanswer"
    assert q["case_sensitive"] is True
    assert q["answers"] == [
        {"text": "H2O", "fraction": 1.0, "feedback": "ok"},
        {"text": "water*", "fraction": 0.5, "feedback": ""},
    ]


def test_numerical_tolerance_units_ignored_with_a_warning_and_star_is_any_number():
    parsed = parse_moodle_xml(
        quiz(
            question(
                "numerical",
                """<answer fraction="100"><text>3.14</text><tolerance>0.01</tolerance></answer>
<answer fraction="0"><text>*</text><feedback><text>no</text></feedback></answer>
<units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit></units>""",
            )
        )
    )
    q = parsed.questions[0].question
    # Moodle's "*" (any other answer) is kept, as GIFT's ``~#feedback`` is.
    assert q["answers"] == [
        {"value": 3.14, "tolerance": 0.01, "fraction": 1.0, "feedback": ""},
        {"min": -ANY_NUMBER, "max": ANY_NUMBER, "fraction": 0.0, "feedback": "no"},
    ]
    text = " ".join(str(w) for w in parsed.warnings)
    assert "units are ignored" in text and "'*'" not in text


def test_matching_pairs_and_a_distractor():
    q = only(
        quiz(
            question(
                "matching",
                """<shuffleanswers>true</shuffleanswers>
<subquestion format="html"><text><![CDATA[<p>France</p>]]></text><answer><text>Paris</text></answer></subquestion>
<subquestion format="html"><text>Spain</text><answer><text>Madrid</text></answer></subquestion>
<subquestion format="html"><text></text><answer><text>Rome</text></answer></subquestion>""",
            )
        )
    )
    assert q["type"] == "matching"
    assert [(p["prompt"], p["answer"]) for p in q["pairs"]] == [
        ("France", "Paris"),
        ("Spain", "Madrid"),
    ]
    assert q["distractors"] == ["Rome"]


def test_essay_template_and_graderinfo_kept():
    parsed = parse_moodle_xml(
        quiz(
            question(
                "essay",
                """<responseformat>editor</responseformat>
<graderinfo format="html"><text>Look for X</text></graderinfo>
<responsetemplate format="html"><text>Dear ...</text></responsetemplate>""",
            )
        )
    )
    q = parsed.questions[0].question
    assert q["type"] == "essay"
    assert q["response_template"] == "Dear ..."
    assert q["grader_info"] == "Look for X"
    assert parsed.warnings == []


# An essay as Moodle 4.x exports it (question/format/xml/format.php writes the
# essay options in this order), its grader information HTML in CDATA with an
# embedded image.
MOODLE_ESSAY = """<question type="essay">
    <name>
      <text>Treaty essay</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p>Discuss the treaty of 1828.</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text><![CDATA[<p>A model answer names the mediator.</p>]]></text>
    </generalfeedback>
    <defaultgrade>10.0000000</defaultgrade>
    <penalty>0.0000000</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <responseformat>editor</responseformat>
    <responserequired>1</responserequired>
    <responsefieldlines>15</responsefieldlines>
    <minwordlimit>50</minwordlimit>
    <maxwordlimit>500</maxwordlimit>
    <attachments>0</attachments>
    <attachmentsrequired>0</attachmentsrequired>
    <maxbytes>0</maxbytes>
    <filetypeslist></filetypeslist>
    <graderinfo format="html">
      <text><![CDATA[<p>Award <strong>4 marks</strong> for the mediator.
Deduct 1 for no date.</p><p><img src="@@PLUGINFILE@@/rubric.png" alt="rubric"></p>]]></text>
      <file name="rubric.png" path="/" encoding="base64">iVBORw0KGgo=</file>
    </graderinfo>
    <responsetemplate format="html">
      <text></text>
    </responsetemplate>
  </question>"""


def test_essay_graderinfo_from_a_moodle_export_is_read_with_its_file():
    parsed = parse_moodle_xml(quiz(MOODLE_ESSAY))

    (item,) = parsed.questions
    assert item.question["grader_info"] == (
        "<p>Award <strong>4 marks</strong> for the mediator.\n"
        'Deduct 1 for no date.</p><p><img src="@@PLUGINFILE@@/rubric.png" '
        'alt="rubric"></p>'
    )
    assert item.files == {"rubric.png": base64.b64decode("iVBORw0KGgo=")}
    assert item.question["general_feedback"] == (
        "<p>A model answer names the mediator.</p>"
    )
    assert parsed.warnings == []


def test_an_empty_graderinfo_is_no_grader_info():
    q = only(
        quiz(
            question(
                "essay",
                '<graderinfo format="html">\n      <text></text>\n    </graderinfo>',
            )
        )
    )
    assert q.get("grader_info", "") == ""


def test_essay_grader_info_round_trips_through_the_writer():
    q = only(quiz(MOODLE_ESSAY))

    xml = write_moodle_xml([q])
    again = only(xml.encode())

    assert again["grader_info"] == q["grader_info"]
    assert '<graderinfo format="html">' in xml
    assert "<![CDATA[<p>Award <strong>4 marks</strong>" in xml


def test_an_essay_without_grader_info_writes_an_empty_graderinfo():
    xml = write_moodle_xml([{"type": "essay", "title": "E", "text": "Discuss."}])

    graderinfo = xml.split("<graderinfo")[1].split("</graderinfo>")[0]
    assert "<text></text>" in graderinfo
    assert "grader_info" not in only(xml.encode())


def test_description_has_no_mark():
    q = only(quiz(question("description")))
    assert q["type"] == "description"
    assert q["default_mark"] == 0.0


def test_ordering_items_in_the_right_order():
    q = only(
        quiz(
            question(
                "ordering",
                """<layouttype>VERTICAL</layouttype>
<answer fraction="1" format="moodle_auto_format"><text>one</text></answer>
<answer fraction="2" format="moodle_auto_format"><text>two</text></answer>
<answer fraction="3" format="moodle_auto_format"><text>three</text></answer>""",
            )
        )
    )
    assert q["type"] == "ordering"
    assert [item["text"] for item in q["items"]] == ["one", "two", "three"]


def test_categories_tags_idnumber_and_formats():
    data = quiz(
        '<question type="category"><category><text>$course$/top/Week 1</text></category></question>',
        question(
            "description",
            "<tags><tag><text>easy</text></tag><tag><text>ch1</text></tag></tags>",
        ).replace('format="html"', 'format="markdown"', 1),
    )
    parsed = parse_moodle_xml(data)
    item = parsed.questions[0]
    assert item.category == "$course$/top/Week 1"
    assert item.idnumber == "q-1"
    assert item.question["tags"] == ["easy", "ch1"]
    assert item.question["format"] == "markdown"
    assert item.line == 4


def test_combined_feedback_and_hints_are_kept():
    parsed = parse_moodle_xml(
        quiz(
            question(
                "multichoice",
                """<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>
<correctfeedback format="html"><text>Well done</text></correctfeedback>
<partiallycorrectfeedback format="html"><text></text></partiallycorrectfeedback>
<hint format="html"><text>Think</text></hint>""",
            )
        )
    )
    (item,) = parsed.questions
    assert parsed.warnings == []
    assert item.question["correct_feedback"] == "Well done"
    assert "partially_correct_feedback" not in item.question
    assert item.question["hints"][0]["text"] == "Think"


def test_embedded_files_are_decoded_per_question():
    png = b"\x89PNG fake"
    encoded = base64.b64encode(png).decode()
    data = quiz(
        question(
            "description",
            text='<img src="@@PLUGINFILE@@/my%20pic.png">',
        ).replace(
            "</text></questiontext>",
            f'</text><file name="my pic.png" path="/" encoding="base64">{encoded}</file></questiontext>',
        )
    )
    item = parse_moodle_xml(data).questions[0]
    assert item.files == {"my pic.png": png}
    assert (
        rewrite_pluginfile_links(item.question["text"], {"my pic.png": "/media/x.png"})
        == '<img src="/media/x.png">'
    )


def test_bad_base64_is_an_error_with_its_line():
    data = quiz(
        question("description").replace(
            "</text></questiontext>",
            '</text>\n<file name="a.png" encoding="base64">@@not base64@@</file></questiontext>',
        )
    )
    assert errors(data) == ["line 6, <file>: the file 'a.png' is not valid base64"]


@pytest.mark.parametrize(
    "qtype",
    [
        "calculated",
        "ddwtos",
        "gapselect",
        "random",
        "coderunner",
    ],
)
def test_other_types_are_refused_by_name_number_and_line(qtype):
    data = quiz(question("description"), question(qtype, name="Other"))
    (message,) = errors(data)
    assert message.startswith(
        f"line 13, <question>: question 2 'Other': type '{qtype}'"
    )
    assert "not supported" in message


def test_missing_type_and_missing_name_are_refused():
    data = quiz(
        "<question>\n<name><text>X</text></name></question>",
        '<question type="essay">\n<name>bare</name>\n<questiontext><text>T</text></questiontext></question>',
    )
    assert errors(data) == [
        "line 3, <question>: question 1 'X' has no type attribute (expected e.g. type=\"multichoice\")",
        "line 6, <name>: question 2 has no <name><text> (Moodle requires a name)",
    ]


def test_errors_are_capped_at_100_with_a_count():
    data = quiz(*[question("calculated") for _ in range(130)])
    with pytest.raises(MoodleXmlError) as caught:
        parse_moodle_xml(data)
    assert len(caught.value.errors) == 100
    assert caught.value.more == 30
    assert "30 more problems" in str(caught.value)


def test_malformed_xml_names_the_line():
    data = b'<?xml version="1.0"?>\n<quiz>\n<question type="essay">\n<name><text>x</name>\n</quiz>'
    (message,) = errors(data)
    assert message.startswith("line 4: not well-formed XML")


def test_a_root_other_than_quiz_is_refused():
    assert errors(b"<html><body/></html>") == [
        "line 1, <html>: expected <quiz> as the root element of a Moodle XML file"
    ]


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE quiz [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<quiz><question type="description"><name><text>&secret;</text></name></question></quiz>"""

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<quiz><question type="description"><name><text>&lol4;</text></name></question></quiz>"""


@pytest.mark.parametrize("data", [XXE, LAUGHS], ids=["xxe", "billion-laughs"])
def test_dtds_and_entities_are_refused_before_expansion(data):
    (message,) = errors(data)
    assert message.startswith(
        "line 2, <!DOCTYPE>: a DTD or entity declaration is not allowed"
    )


def test_looks_like_moodle_xml():
    assert looks_like_moodle_xml(quiz())
    assert looks_like_moodle_xml(b"\xef\xbb\xbf<!-- x -->\n<quiz>")
    assert not looks_like_moodle_xml(b"::T:: What? {=a ~b}")
    assert not looks_like_moodle_xml(b'<?xml version="1.0"?><quizzes/>')


def test_html_text_round_trips_through_the_writer():
    q = only(quiz(question("description", text="<p>Hello <em>you</em></p>")))
    again = only(write_moodle_xml([q]).encode())
    assert again["text"] == "<p>Hello <em>you</em></p>"
    assert again["format"] == "html"


def test_writer_writes_categories_and_leaves_them():
    xml = write_moodle_xml(
        [
            {"type": "description", "title": "a", "text": "A", "tags": ["category:W1"]},
            {"type": "description", "title": "b", "text": "B", "tags": []},
        ]
    )
    parsed = parse_moodle_xml(xml.encode())
    assert [q.category for q in parsed.questions] == ["$course$/top/W1", "$course$/top"]


def test_writer_refuses_an_unknown_type():
    with pytest.raises(ValueError, match="cannot hold"):
        write_moodle_xml([{"type": "calculated", "title": "", "text": "x"}])


def test_an_unknown_encoding_is_refused_not_raised():
    data = b'<?xml version="1.0" encoding="UTF-9"?>\n<quiz></quiz>'
    (message,) = errors(data)
    assert message == "line 1: unknown encoding 'UTF-9' (expected UTF-8)"


def test_old_image_and_image_base64_become_a_file_and_a_link():
    """Moodle 1.9-era exports carry the picture outside the text."""
    encoded = base64.b64encode(b"GIF89a").decode()
    item = parse_moodle_xml(
        quiz(
            question(
                "description",
                f"<image>pics/dot.gif</image><image_base64>{encoded}</image_base64>",
                text="<p>See</p>",
            )
        )
    ).questions[0]
    assert item.files == {"pics/dot.gif": b"GIF89a"}
    assert (
        item.question["text"] == '<p>See</p><img src="@@PLUGINFILE@@/pics/dot.gif" />'
    )


def test_older_coursetags_are_tags_too():
    q = only(
        quiz(
            question(
                "description",
                "<tags><tag><text>a</text></tag></tags><coursetags><tag><text>b</text></tag></coursetags>",
            )
        )
    )
    assert q["tags"] == ["a", "b"]
