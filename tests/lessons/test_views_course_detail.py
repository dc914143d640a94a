"""The course page: syllabus, enrolment, and the student's progress."""

import re

import pytest

from lessons.models import Lesson
from lessons.services import lesson_complete
from tests.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


def test_course_page_shows_the_syllabus(client, course, course_lessons):
    response = client.get(course.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "Syllabus" in html
    for module in course.modules.all():
        assert module.title in html
    positions = [
        re.search(re.escape(lesson.title) + r"(?=\s|<)", html).start()
        for lesson in course_lessons
    ]
    assert positions == sorted(positions)


def test_visitors_are_invited_to_log_in_to_enrol(client, course):
    response = client.get(course.get_absolute_url())

    html = response.content.decode()
    assert "Log in to enrol" in html
    assert f"?next={course.get_absolute_url()}" in html
    assert "Enrol</button>" not in html


def test_visitors_see_lesson_titles_but_no_lesson_links(client, course, course_lessons):
    response = client.get(course.get_absolute_url())

    html = response.content.decode()
    for lesson in course_lessons:
        assert lesson.title in html
        assert f'href="{lesson.get_absolute_url()}"' not in html


def test_a_student_not_enrolled_sees_the_enrol_button(student_client, course):
    response = student_client.get(course.get_absolute_url())

    html = response.content.decode()
    assert f'action="/courses/{course.slug}/enrol/"' in html
    assert "Enrol</button>" in html
    assert "Your progress" not in html


def test_an_enrolled_student_sees_progress_and_no_enrol_button(enrolled_client, course):
    response = enrolled_client.get(course.get_absolute_url())

    html = response.content.decode()
    assert "Enrol</button>" not in html
    assert "Your progress" in html
    assert "0% · 0 of 4 lessons" in html
    assert "Start the course" in html


def test_completed_lessons_get_a_tick_and_progress_moves(
    enrolled_client, student, course, course_lessons
):
    lesson_complete(user=student, lesson=course_lessons[0])
    lesson_complete(user=student, lesson=course_lessons[2])

    response = enrolled_client.get(course.get_absolute_url())

    html = response.content.decode()
    assert html.count('class="tick"') == 2
    assert "50% · 2 of 4 lessons" in html
    assert 'aria-valuenow="50"' in html
    for done in (course_lessons[0], course_lessons[2]):
        item = html[html.index(f'href="{done.get_absolute_url()}"') :]
        assert item[: item.index("</li>")].count('class="tick"') == 1
    # "Continue" goes to the first lesson not completed yet.
    assert "Continue" in html
    assert response.context["next_lesson"].id == course_lessons[1].pk


def test_a_completed_course_says_so(enrolled_client, student, course, course_lessons):
    for lesson in course_lessons:
        lesson_complete(user=student, lesson=lesson)

    response = enrolled_client.get(course.get_absolute_url())

    html = response.content.decode()
    assert "100% · 4 of 4 lessons" in html
    assert "You have completed every lesson of this course." in html


def test_enrolled_students_get_links_to_the_lessons(
    enrolled_client, course, course_lessons
):
    response = enrolled_client.get(course.get_absolute_url())

    html = response.content.decode()
    for lesson in course_lessons:
        assert f'href="{lesson.get_absolute_url()}"' in html


def test_unpublished_lessons_are_left_out_of_the_syllabus_for_students(
    enrolled_client, course, course_lessons
):
    Lesson.objects.filter(pk=course_lessons[1].pk).update(is_published=False)

    response = enrolled_client.get(course.get_absolute_url())

    assert course_lessons[1].title not in response.content.decode()
    assert "0 of 3 lessons" in response.content.decode()


def test_staff_see_unpublished_lessons_with_a_badge(
    staff_client, course, course_lessons
):
    Lesson.objects.filter(pk=course_lessons[1].pk).update(is_published=False)

    response = staff_client.get(course.get_absolute_url())

    html = response.content.decode()
    item = html[html.index(course_lessons[1].title) :]
    assert "Unpublished" in item[: item.index("</li>")]


def test_unpublished_course_is_not_found_for_visitors_and_students(
    client, student_client
):
    course = CourseFactory(is_published=False)
    LessonFactory(module__course=course, course=course)

    assert client.get(course.get_absolute_url()).status_code == 404
    assert student_client.get(course.get_absolute_url()).status_code == 404


def test_unpublished_course_is_not_found_even_for_an_enrolled_student(
    enrolled_client, course
):
    course.is_published = False
    course.save()

    assert enrolled_client.get(course.get_absolute_url()).status_code == 404


def test_staff_can_open_an_unpublished_course_and_see_it_is_unpublished(
    staff_client,
):
    course = CourseFactory(is_published=False)

    response = staff_client.get(course.get_absolute_url())

    assert response.status_code == 200
    assert "Unpublished: only staff can see this course." in response.content.decode()


def test_unknown_course_is_not_found(client, db):
    assert client.get("/courses/no-such-course/").status_code == 404


def test_course_page_rejects_post(student_client, course):
    assert student_client.post(course.get_absolute_url()).status_code == 405


# --------------------------------------------------------------------------
# What the page says before anyone enrols (issue 13)


@pytest.fixture
def overview_course(db):
    """A module that opens with text of its own (a first lesson of the module's
    name, as the importer files it) and two sub-sections."""
    from tests.factories import ModuleFactory

    course = CourseFactory(title="Rivers", slug="rivers")
    module = ModuleFactory(course=course, title="Deltas", position=0)
    LessonFactory(
        course=course,
        module=module,
        title="Deltas",
        slug="deltas",
        position=0,
        body_markdown="Deltas form where rivers meet the sea. More text follows.",
        word_count=400,
    )
    LessonFactory(
        course=course,
        module=module,
        title="The Nile",
        slug="nile",
        position=1,
        body_markdown="The Nile delta is a fan.",
        word_count=500,
    )
    LessonFactory(
        course=course,
        module=module,
        title="The Mekong",
        slug="mekong",
        position=2,
        word_count=300,
    )
    return course


def test_course_page_summarises_the_course_and_estimates_its_time(
    client, overview_course
):
    html = client.get(overview_course.get_absolute_url()).content.decode()

    summary = html[html.index('data-testid="course-summary"') :]
    assert summary.split("</p>")[0].endswith(
        "Deltas form where rivers meet the sea. More text follows."
    )
    facts = html[html.index('data-testid="course-facts"') :].split("</ul>")[0]
    assert "3 lessons" in facts
    assert "about 6 min of reading" in facts  # 1,200 words at 200 a minute


def test_a_modules_title_is_not_repeated_as_its_first_lesson(
    enrolled_client_for, overview_course
):
    client = enrolled_client_for(overview_course)

    html = client.get(overview_course.get_absolute_url()).content.decode()

    syllabus = html[html.index('id="syllabus-heading"') :]
    assert syllabus.count(">Deltas<") == 1
    # The module's heading opens its overview lesson.
    assert '<a href="/courses/rivers/lessons/deltas/">Deltas</a>' in syllabus
    lessons = syllabus[syllabus.index('class="syllabus-lessons"') :]
    assert "The Nile" in lessons
    assert "Deltas" not in lessons.split("</ol>")[0]


def test_visitors_read_the_whole_syllabus_with_each_lessons_opening(
    client, overview_course
):
    html = client.get(overview_course.get_absolute_url()).content.decode()

    syllabus = html[html.index('id="syllabus-heading"') :]
    assert "Enrol to open the lessons." in syllabus
    assert "The Nile delta is a fan." in syllabus
    assert "The Mekong" in syllabus
    assert "3 lessons · 6 min read" in syllabus
    assert "/lessons/nile/" not in syllabus


def test_enrolled_students_get_a_link_to_their_grades(enrolled_client, course):
    html = enrolled_client.get(course.get_absolute_url()).content.decode()

    assert f'href="/courses/{course.slug}/grades/">Grades</a>' in html


def test_students_not_enrolled_get_no_grades_link(student_client, course):
    html = student_client.get(course.get_absolute_url()).content.decode()

    assert "/grades/" not in html
