"""When a re-import changes a lesson's text, the questions testing that lesson are
flagged "review: source changed" until an instructor clears the flag."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from lessons import hooks
from lessons.importing import parse_markdown
from lessons.models import Course
from lessons.services import course_import
from quizzes.models import Question
from tests.admin.support import SINGLE
from tests.factories import make_question

pytestmark = pytest.mark.django_db

DOCUMENT = """\
# Naval History

What this course covers.

## Early Navies

Ships of the first fleets.

## Modern Navies

Steel, steam and *radar*.
"""
EDITED = DOCUMENT.replace("Ships of the first fleets.", "Galleys of the first fleets.")


def _import(path, text: str, *extra) -> str:
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_document", str(path), "--slug", "naval", *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def document(tmp_path):
    return tmp_path / "naval.md"


@pytest.fixture
def naval(document, instructor):
    _import(document, DOCUMENT)
    course = Course.objects.get(slug="naval")
    course.instructors.add(instructor)
    return course


def _question(course, lesson_slug: str, key: str) -> Question:
    lesson = course.lessons.get(slug=lesson_slug)
    return make_question(course=course, data={**SINGLE, "key": key}, lesson=lesson)


def _flags(course) -> dict[str, bool]:
    return dict(
        Question.objects.filter(course=course).values_list("key", "needs_review")
    )


def test_reimporting_an_edited_document_flags_the_changed_lessons_questions(
    document, naval
):
    _question(naval, "early-navies", "early")
    _question(naval, "modern-navies", "modern")
    make_question(course=naval, data={**SINGLE, "key": "unlinked"})

    output = _import(document, EDITED)

    assert "changed: early-navies" in output
    assert _flags(naval) == {"early": True, "modern": False, "unlinked": False}


def test_reimporting_an_unchanged_document_flags_nothing(document, naval):
    _question(naval, "early-navies", "early")

    _import(document, DOCUMENT)

    assert _flags(naval) == {"early": False}


def test_a_dry_run_flags_nothing(document, naval):
    _question(naval, "early-navies", "early")

    _import(document, EDITED, "--dry-run")

    assert _flags(naval) == {"early": False}


def test_the_hook_hears_only_lessons_whose_text_changed(naval, monkeypatch):
    heard = []
    monkeypatch.setattr(
        hooks,
        "lesson_source_changed",
        [lambda course, lessons: heard.append((course, [x.slug for x in lessons]))],
    )
    retitled = EDITED.replace("## Modern Navies", "## Navies Today")

    course_import(parsed=parse_markdown(retitled), slug="naval")

    assert heard == [(naval, ["early-navies"])]


def test_a_failing_hook_rolls_the_import_back(naval, monkeypatch):
    def refuse(course, lessons):
        raise ValueError("no")

    monkeypatch.setattr(hooks, "lesson_source_changed", [refuse])

    with pytest.raises(ValueError):
        course_import(parsed=parse_markdown(EDITED), slug="naval")

    assert "Ships" in naval.lessons.get(slug="early-navies").body_markdown


def test_the_admin_lists_and_filters_flagged_questions(
    instructor_client, document, naval
):
    _question(naval, "early-navies", "early")
    _question(naval, "modern-navies", "modern")
    _import(document, EDITED)

    page = instructor_client.get(reverse("admin:quizzes_question_changelist"))
    flagged = instructor_client.get(
        reverse("admin:quizzes_question_changelist"), {"needs_review__exact": "1"}
    )

    assert "review: source changed" in page.content.decode()
    assert [q.key for q in flagged.context["cl"].result_list] == ["early"]


def test_clearing_the_review_flag(instructor_client, document, naval):
    early = _question(naval, "early-navies", "early")
    _import(document, EDITED)

    response = instructor_client.post(
        reverse("admin:quizzes_question_changelist"),
        {"action": "clear_review_flag", "_selected_action": [early.pk]},
        follow=True,
    )

    assert "Review flag cleared on 1 question." in response.content.decode()
    assert _flags(naval) == {"early": False}


def test_the_flag_returns_when_the_text_changes_again(
    instructor_client, document, naval
):
    early = _question(naval, "early-navies", "early")
    _import(document, EDITED)
    instructor_client.post(
        reverse("admin:quizzes_question_changelist"),
        {"action": "clear_review_flag", "_selected_action": [early.pk]},
    )

    _import(document, EDITED.replace("Galleys", "Triremes"))

    assert _flags(naval) == {"early": True}
