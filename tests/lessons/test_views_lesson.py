"""The lesson page: only for enrolled students (and staff), with everything a reader
needs around the lesson body."""

import pytest
from django.urls import reverse

from lessons.models import Enrollment, Lesson, LessonProgress
from lessons.rendering import render_markdown
from lessons.services import lesson_complete
from tests.factories import LessonFactory, make_course

pytestmark = pytest.mark.django_db


def test_visitors_are_sent_to_log_in(client, course_lessons):
    url = course_lessons[0].get_absolute_url()

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


def test_students_not_enrolled_are_sent_to_the_course_page(
    student_client, student, course, course_lessons
):
    response = student_client.get(course_lessons[0].get_absolute_url())

    assert response.status_code == 302
    assert response.url == course.get_absolute_url()
    assert not LessonProgress.objects.filter(user=student).exists()


def test_students_not_enrolled_are_told_to_enrol(student_client, course_lessons):
    response = student_client.get(course_lessons[0].get_absolute_url(), follow=True)

    assert "Enrol in this course to open its lessons." in response.content.decode()


def test_an_enrolled_student_reads_the_rendered_lesson(enrolled_client, course_lessons):
    lesson = course_lessons[0]
    lesson.body_markdown = "Ships **sail** here.\n\n<script>alert(1)</script>"
    lesson.body_html = render_markdown(lesson.body_markdown)
    lesson.save()

    response = enrolled_client.get(lesson.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 id="lesson-title">{lesson.title}</h1>' in html
    assert "<p>Ships <strong>sail</strong> here.</p>" in html
    assert "alert(1)" not in html


def test_lesson_page_shows_breadcrumbs(enrolled_client, course, course_lessons):
    lesson = course_lessons[0]

    html = enrolled_client.get(lesson.get_absolute_url()).content.decode()

    breadcrumbs = html[html.index('class="breadcrumb"') :]
    breadcrumbs = breadcrumbs[: breadcrumbs.index("</ol>")]
    assert f'href="{reverse("lessons:catalogue")}">Courses</a>' in breadcrumbs
    assert f'href="{course.get_absolute_url()}">{course.title}</a>' in breadcrumbs
    assert lesson.module.title in breadcrumbs
    assert f'aria-current="page">{lesson.title}</li>' in breadcrumbs


def test_lesson_page_shows_the_course_outline_with_the_current_lesson(
    enrolled_client, course_lessons
):
    current = course_lessons[1]

    html = enrolled_client.get(current.get_absolute_url()).content.decode()

    outline = html[html.index('class="course-outline"') :]
    outline = outline[: outline.index("</nav>")]
    for lesson in course_lessons:
        assert f'href="{lesson.get_absolute_url()}"' in outline
    current_link = (
        f'<a class="outline-link" href="{current.get_absolute_url()}" '
        'aria-current="page">'
    )
    assert f"{current_link}{current.title}</a>" in outline
    assert outline.count('aria-current="page"') == 1


@pytest.mark.parametrize(
    ("words", "label"), [(30, "1 minute read"), (610, "3 minutes read")]
)
def test_lesson_page_shows_the_reading_time(
    enrolled_client, course_lessons, words, label
):
    lesson = course_lessons[0]
    Lesson.objects.filter(pk=lesson.pk).update(word_count=words)

    html = enrolled_client.get(lesson.get_absolute_url()).content.decode()

    assert label in html


def test_lesson_page_links_to_previous_and_next_lessons(
    enrolled_client, course_lessons
):
    first, second, third, _fourth = course_lessons

    html = enrolled_client.get(second.get_absolute_url()).content.decode()

    assert f'rel="prev" href="{first.get_absolute_url()}"' in html
    assert f'rel="next" href="{third.get_absolute_url()}"' in html


def test_next_crosses_into_the_next_module(enrolled_client, course_lessons):
    assert course_lessons[1].module_id != course_lessons[2].module_id

    html = enrolled_client.get(course_lessons[1].get_absolute_url()).content.decode()

    assert f'rel="next" href="{course_lessons[2].get_absolute_url()}"' in html


def test_first_lesson_has_no_previous_and_last_has_no_next(
    enrolled_client, course_lessons
):
    first_html = enrolled_client.get(course_lessons[0].get_absolute_url()).content
    last_html = enrolled_client.get(course_lessons[-1].get_absolute_url()).content

    assert b'rel="prev"' not in first_html
    assert b'rel="next"' in first_html
    assert b'rel="next"' not in last_html
    assert b'rel="prev"' in last_html


def test_previous_and_next_skip_unpublished_lessons(enrolled_client, course_lessons):
    Lesson.objects.filter(pk=course_lessons[1].pk).update(is_published=False)

    html = enrolled_client.get(course_lessons[0].get_absolute_url()).content.decode()

    assert f'rel="next" href="{course_lessons[2].get_absolute_url()}"' in html


def test_lesson_page_offers_mark_complete(enrolled_client, course, course_lessons):
    lesson = course_lessons[0]

    html = enrolled_client.get(lesson.get_absolute_url()).content.decode()

    complete_url = reverse(
        "lessons:lesson-complete",
        kwargs={"course_slug": course.slug, "lesson_slug": lesson.slug},
    )
    assert f'action="{complete_url}"' in html
    assert "Mark complete</button>" in html


def test_a_completed_lesson_says_so_instead_of_mark_complete(
    enrolled_client, student, course_lessons
):
    lesson = course_lessons[0]
    lesson_complete(user=student, lesson=lesson)

    html = enrolled_client.get(lesson.get_absolute_url()).content.decode()

    assert "You completed this lesson." in html
    assert "Mark complete</button>" not in html


def test_opening_a_lesson_starts_it_and_remembers_it(
    enrolled_client, student, course, course_lessons
):
    lesson = course_lessons[2]

    enrolled_client.get(lesson.get_absolute_url())

    progress = LessonProgress.objects.get(user=student, lesson=lesson)
    assert progress.status == LessonProgress.Status.STARTED
    enrollment = Enrollment.objects.get(user=student, course=course)
    assert enrollment.last_lesson == lesson


def test_lesson_page_shows_progress(enrolled_client, student, course_lessons):
    lesson_complete(user=student, lesson=course_lessons[0])

    html = enrolled_client.get(course_lessons[1].get_absolute_url()).content.decode()

    assert "25% · 1 of 4 lessons" in html


def test_unpublished_lesson_is_not_found_for_students(enrolled_client, course_lessons):
    lesson = course_lessons[0]
    Lesson.objects.filter(pk=lesson.pk).update(is_published=False)

    assert enrolled_client.get(lesson.get_absolute_url()).status_code == 404


def test_lesson_of_an_unpublished_course_is_not_found_for_students(
    enrolled_client, course, course_lessons
):
    course.is_published = False
    course.save()

    assert enrolled_client.get(course_lessons[0].get_absolute_url()).status_code == 404


def test_staff_can_read_unpublished_lessons_and_courses(
    staff_client, course, course_lessons
):
    lesson = course_lessons[0]
    Lesson.objects.filter(pk=lesson.pk).update(is_published=False)
    course.is_published = False
    course.save()

    response = staff_client.get(lesson.get_absolute_url())

    assert response.status_code == 200
    assert "Unpublished" in response.content.decode()


def test_staff_who_are_not_enrolled_read_without_progress(
    staff_client, staff, course_lessons
):
    response = staff_client.get(course_lessons[0].get_absolute_url())

    assert response.status_code == 200
    assert "Mark complete" not in response.content.decode()
    assert not LessonProgress.objects.filter(user=staff).exists()


def test_a_lesson_of_another_course_is_not_found_under_this_course(
    enrolled_client, staff_client, course
):
    other = make_course(slug="other-course")
    foreign = other.lessons.first()
    url = reverse(
        "lessons:lesson-detail",
        kwargs={"course_slug": course.slug, "lesson_slug": foreign.slug},
    )

    assert enrolled_client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 404


def test_a_lesson_slug_shared_by_two_courses_opens_this_courses_lesson(
    enrolled_client, course, course_lessons
):
    other = make_course(slug="other-course")
    twin = LessonFactory(
        module=other.modules.first(),
        course=other,
        slug=course_lessons[0].slug,
        body_markdown="The other course's lesson.",
    )

    response = enrolled_client.get(course_lessons[0].get_absolute_url())

    assert response.context["lesson"].pk == course_lessons[0].pk
    assert twin.body_html not in response.content.decode()


def test_unknown_lesson_is_not_found(enrolled_client, course):
    url = reverse(
        "lessons:lesson-detail",
        kwargs={"course_slug": course.slug, "lesson_slug": "no-such-lesson"},
    )

    assert enrolled_client.get(url).status_code == 404


def test_lesson_page_rejects_post(enrolled_client, course_lessons):
    assert enrolled_client.post(course_lessons[0].get_absolute_url()).status_code == 405


# --------------------------------------------------------------------------
# The outline folds: the current module open, the others closed (issue 13)


@pytest.fixture
def two_module_course(db):
    from tests.factories import make_course

    return make_course(slug="folds", modules=3, lessons_per_module=3)


def _outline(html: str) -> str:
    outline = html[html.index('class="course-outline"') :]
    return outline[: outline.index("</nav>")]


def test_only_the_current_lessons_module_is_open(
    student_client, student, two_module_course
):
    from tests.factories import EnrollmentFactory

    EnrollmentFactory(user=student, course=two_module_course)
    lessons = list(two_module_course.lessons.order_by("module__position", "position"))
    current = lessons[4]  # the second module's second lesson

    html = student_client.get(current.get_absolute_url()).content.decode()

    outline = _outline(html)
    assert outline.count("<details") == 3
    assert outline.count("<details open>") == 1
    opened = outline[outline.index("<details open>") :]
    opened = opened[: opened.index("</details>")]
    assert current.module.title in opened
    for lesson in lessons[3:6]:
        assert lesson.get_absolute_url() in opened


def test_the_outline_waits_behind_a_button_on_phones(enrolled_client, course_lessons):
    html = enrolled_client.get(course_lessons[0].get_absolute_url()).content.decode()

    button = html[html.index('class="btn btn-outline-secondary w-100 d-lg-none') :]
    button = button[: button.index("</button>")]
    assert 'data-bs-target="#outline-panel"' in button
    assert 'aria-controls="outline-panel"' in button
    assert 'aria-expanded="false"' in button
    assert "Course outline" in button
    assert "0 of 4 done" in button
    # The panel is a collapse on phones, always shown from lg up; without
    # JavaScript a stylesheet in <noscript> shows it.
    assert 'class="collapse d-lg-block" id="outline-panel"' in html
    assert (
        "css/noscript.css" in html[html.index("<noscript>") :].split("</noscript>")[0]
    )
    # On phones the button comes before the lesson.
    assert html.index('id="outline-panel"') < html.index('id="lesson-title"')


def test_a_modules_opening_lesson_is_its_overview_in_the_outline(
    enrolled_client, course, course_lessons
):
    first = course_lessons[0]
    first.module.title = first.title
    first.module.save()

    html = enrolled_client.get(course_lessons[1].get_absolute_url()).content.decode()

    outline = _outline(html)
    link = outline[outline.index(f'href="{first.get_absolute_url()}"') :]
    assert link.split("</a>")[0].endswith(
        f'>Overview<span class="visually-hidden">: {first.title}</span>'
    )
