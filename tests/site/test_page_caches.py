"""The caches behind the course page, the quiz page and the Grades page, with
every cache on as in production (``caches_on``): a page is cached by one
request, read back by another, and a write is seen by the next request.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lessons import services as lesson_services
from quizzes import services as quiz_services
from tests.factories import (
    EnrollmentFactory,
    StaffFactory,
    UserFactory,
    make_course,
    make_quiz,
)

pytestmark = pytest.mark.django_db

QUESTION = {
    "type": "truefalse",
    "title": "Andes",
    "text": "The Andes run along the west of South America.",
    "correct": True,
}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def course_pages(course, quiz) -> dict[str, str]:
    return {
        "course": course.get_absolute_url(),
        "quiz": quiz.get_absolute_url(),
        "grades": reverse("quizzes:course-grades", kwargs={"course_slug": course.slug}),
    }


@pytest.fixture
def course_with_exam(db):
    course = make_course(slug="andes", title="The Andes")
    quiz = make_quiz(course=course, title="Final exam", questions=[QUESTION])
    return course, quiz


def take(quiz, user, answer: str) -> None:
    attempt = quiz_services.attempt_start(quiz=quiz, user=user)
    position = attempt.responses.get().position
    quiz_services.attempt_save_answers(attempt=attempt, answers={position: answer})
    quiz_services.attempt_submit(attempt=attempt)


def test_an_unpublished_course_is_hidden_from_its_pages_at_once(
    caches_on, student, course_with_exam
):
    course, quiz = course_with_exam
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    pages = course_pages(course, quiz)
    for url in pages.values():
        assert reader.get(url).status_code == 200
        assert reader.get(url).status_code == 200  # now from the cache

    lesson_services.course_set_published(course_ids=[course.pk], published=False)

    assert {name: reader.get(url).status_code for name, url in pages.items()} == {
        "course": 404,
        "quiz": 404,
        "grades": 404,
    }
    # Its instructor still opens it.
    teacher = StaffFactory()
    lesson_services.course_add_instructor(course=course, user=teacher)
    assert client_for(teacher).get(pages["course"]).status_code == 200


def test_a_renamed_course_answers_under_its_new_slug_only(
    caches_on, student, course_with_exam
):
    course, quiz = course_with_exam
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    old = course.get_absolute_url()
    assert reader.get(old).status_code == 200

    course.slug = "the-andes"
    lesson_services.course_save(course=course)

    assert reader.get(old).status_code == 404
    page = reader.get("/courses/the-andes/")
    assert page.status_code == 200
    assert "The Andes" in page.text


def test_the_course_page_exam_panel_shows_a_new_best_grade(
    caches_on, student, course_with_exam
):
    course, quiz = course_with_exam
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    first = reader.get(course.get_absolute_url()).text
    assert "Final exam" in first
    assert "best 100%" not in first

    take(quiz, student, "true")

    assert "best 100%" in reader.get(course.get_absolute_url()).text


def test_the_course_page_exam_panel_shows_an_exam_published_later(
    caches_on, student, course_with_exam
):
    course, quiz = course_with_exam
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    assert "Mid-term" not in reader.get(course.get_absolute_url()).text

    midterm = make_quiz(
        course=course, title="Mid-term", slug="mid-term", is_published=False
    )
    assert "Mid-term" not in reader.get(course.get_absolute_url()).text
    quiz_services.quiz_set_published(quiz_ids=[midterm.pk], published=True)

    assert "Mid-term" in reader.get(course.get_absolute_url()).text


# --- The syllabus: one cached fragment, each student's ticks and badges -----------


def test_the_syllabus_shows_each_student_their_own_ticks_and_badges(caches_on, db):
    course = make_course(slug="andes", modules=1, lessons_per_module=3)
    lessons = list(course.lessons.order_by("position"))
    quiz = make_quiz(
        course=course, lesson=lessons[1], title="Check", questions=[QUESTION]
    )
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    for user in (ana, ben):
        EnrollmentFactory(user=user, course=course)
    lesson_services.lesson_complete(user=ana, lesson=lessons[0])
    take(quiz, ana, "true")

    ana_page = client_for(ana).get(course.get_absolute_url()).text
    ben_page = client_for(ben).get(course.get_absolute_url()).text  # cached markup

    # The first lesson by hand, the second by passing its quiz.
    assert ana_page.count("(completed)") == 2
    assert "Quiz: 100%" in ana_page
    assert "(completed)" not in ben_page
    assert "Quiz:" not in ben_page
    assert ben_page.count(f'href="{lessons[2].get_absolute_url()}"') == 1

    lesson_services.lesson_complete(user=ben, lesson=lessons[2])
    take(quiz, ben, "false")

    ben_page = client_for(ben).get(course.get_absolute_url()).text
    assert ben_page.count("(completed)") == 1
    assert "Quiz: 0%" in ben_page
    ana_page = client_for(ana).get(course.get_absolute_url()).text
    assert ana_page.count("(completed)") == 2
    assert "Quiz: 100%" in ana_page


def test_the_syllabus_links_lessons_once_the_visitor_enrols(caches_on, student):
    course = make_course(slug="andes", modules=1, lessons_per_module=3)
    lesson = course.lessons.order_by("position").last()
    reader = client_for(student)
    link = f'href="{lesson.get_absolute_url()}"'
    assert link not in reader.get(course.get_absolute_url()).text
    assert link not in Client().get(course.get_absolute_url()).text

    lesson_services.enrollment_create(user=student, course=course)

    assert link in reader.get(course.get_absolute_url()).text
    assert link not in Client().get(course.get_absolute_url()).text


def test_the_syllabus_shows_unpublished_lessons_to_staff_only(caches_on, student):
    course = make_course(slug="andes", modules=1, lessons_per_module=3)
    lesson = course.lessons.order_by("position").last()
    teacher = StaffFactory()
    lesson_services.course_add_instructor(course=course, user=teacher)
    EnrollmentFactory(user=student, course=course)
    staff, reader = client_for(teacher), client_for(student)
    assert lesson.title in reader.get(course.get_absolute_url()).text

    lesson_services.lesson_set_published(lesson_ids=[lesson.pk], published=False)

    assert lesson.title not in reader.get(course.get_absolute_url()).text
    staff_page = staff.get(course.get_absolute_url()).text
    assert lesson.title in staff_page
    assert "Unpublished" in staff_page
    assert lesson.title not in reader.get(course.get_absolute_url()).text


def test_the_syllabus_shows_a_renamed_lesson(caches_on, student):
    course = make_course(slug="andes", modules=1, lessons_per_module=3)
    lesson = course.lessons.order_by("position").last()
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    assert lesson.title in reader.get(course.get_absolute_url()).text

    lesson.title = "The Altiplano"
    lesson_services.lesson_save(lesson=lesson)

    assert "The Altiplano" in reader.get(course.get_absolute_url()).text


def test_the_syllabus_is_cached_per_language(caches_on, student):
    course = make_course(slug="andes", modules=2, lessons_per_module=2)
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    english = reader.get(course.get_absolute_url()).text
    assert "2 lessons" in english

    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    spanish = reader.get(course.get_absolute_url()).text

    assert "2 lessons" not in spanish
    assert "2 lecciones" in spanish


# --- The quiz page: the quiz from the course's cached quizzes ----------------------


def test_the_quiz_page_follows_the_quiz_as_it_is_edited(
    caches_on, student, course_with_exam
):
    course, quiz = course_with_exam
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    assert "Bring a pencil" not in reader.get(quiz.get_absolute_url()).text

    quiz.description = "**Bring a pencil.**"
    quiz_services.quiz_save(quiz=quiz)
    assert (
        "<strong>Bring a pencil.</strong>" in reader.get(quiz.get_absolute_url()).text
    )

    quiz.description = "Bring a pen."
    quiz_services.quiz_save(quiz=quiz)
    page = reader.get(quiz.get_absolute_url()).text
    assert "Bring a pen." in page
    assert "pencil" not in page

    quiz_services.quiz_set_published(quiz_ids=[quiz.pk], published=False)
    assert reader.get(quiz.get_absolute_url()).status_code == 404
    teacher = StaffFactory()
    lesson_services.course_add_instructor(course=course, user=teacher)
    assert client_for(teacher).get(quiz.get_absolute_url()).status_code == 200


def test_a_lesson_quiz_goes_with_its_lesson_at_once(caches_on, student):
    course = make_course(slug="andes")
    lesson = course.lessons.order_by("position").first()
    quiz = make_quiz(course=course, lesson=lesson, title="Check", questions=[QUESTION])
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    assert reader.get(quiz.get_absolute_url()).status_code == 200

    lesson_services.lesson_set_published(lesson_ids=[lesson.pk], published=False)

    assert reader.get(quiz.get_absolute_url()).status_code == 404


def test_the_quiz_page_offers_the_quiz_once_the_student_enrols(
    caches_on, student, course_with_exam
):
    course, quiz = course_with_exam
    reader = client_for(student)
    assert "Enrol in the course" in reader.get(quiz.get_absolute_url()).text

    lesson_services.enrollment_create(user=student, course=course)

    page = reader.get(quiz.get_absolute_url()).text
    assert "Enrol in the course" not in page
    assert "Start the quiz" in page


# --- The Grades page: quizzes and attempts cached, the review options applied now --


def grade_cell(page: str) -> str:
    start = page.index('data-testid="grade"')
    return page[start : page.index("</td>", start)]


def test_the_grades_page_shows_each_new_grade(caches_on, student, course_with_exam):
    course, quiz = course_with_exam
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    url = reverse("quizzes:course-grades", kwargs={"course_slug": course.slug})
    assert "—" in grade_cell(reader.get(url).text)
    assert "—" in grade_cell(reader.get(url).text)  # from the cache

    take(quiz, student, "false")
    assert "0%" in grade_cell(reader.get(url).text)

    quiz.grading_method = "highest"
    quiz_services.quiz_save(quiz=quiz)
    take(quiz, student, "true")
    assert "100%" in grade_cell(reader.get(url).text)

    quiz.grading_method = "first"
    quiz_services.quiz_save(quiz=quiz)
    assert "0%" in grade_cell(reader.get(url).text)


def test_the_grades_page_releases_a_grade_when_the_quiz_closes(
    caches_on, monkeypatch, student, course_with_exam
):
    course, quiz = course_with_exam
    quiz.close_at = timezone.now() + timedelta(hours=1)
    quiz.review_options = {"immediately": [], "open": [], "closed": ["marks"]}
    quiz_services.quiz_save(quiz=quiz)
    EnrollmentFactory(user=student, course=course)
    take(quiz, student, "true")
    reader = client_for(student)
    url = reverse("quizzes:course-grades", kwargs={"course_slug": course.slug})
    assert "Not released yet" in grade_cell(reader.get(url).text)

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "100%" in grade_cell(reader.get(url).text)


def test_the_grades_page_shows_only_the_students_own_attempts(
    caches_on, course_with_exam
):
    course, quiz = course_with_exam
    ana, ben = UserFactory(username="ana"), UserFactory(username="ben")
    for user in (ana, ben):
        EnrollmentFactory(user=user, course=course)
    url = reverse("quizzes:course-grades", kwargs={"course_slug": course.slug})
    take(quiz, ana, "true")

    assert "100%" in grade_cell(client_for(ana).get(url).text)
    assert "—" in grade_cell(client_for(ben).get(url).text)


# --- The page chrome: cached once, each visitor's name, token and path filled in ---


def test_the_navigation_bar_names_each_user_and_shows_staff_links_to_staff(
    caches_on, db
):
    course = make_course(slug="andes")
    ana = UserFactory(username="ana<b>")
    ben = UserFactory(username="ben")
    teacher = StaffFactory(username="tess")
    teaching = reverse("teach:dashboard")

    ana_page = client_for(ana).get(course.get_absolute_url()).text
    ben_page = client_for(ben).get(course.get_absolute_url()).text
    staff_page = client_for(teacher).get(course.get_absolute_url()).text
    visitor_page = Client().get(course.get_absolute_url()).text

    assert "ana&lt;b&gt;" in ana_page
    assert "ana<b>" not in ana_page
    assert ">ben</a>" in ben_page
    assert "ana" not in ben_page
    assert teaching not in ben_page
    assert teaching in staff_page
    assert ">tess</a>" in staff_page
    assert "Log in" in visitor_page
    assert "Log out" not in visitor_page


def test_the_language_form_returns_to_the_page_it_is_on(caches_on, student):
    course = make_course(slug="andes")
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    lesson = course.lessons.order_by("position").first()

    course_page = reader.get(course.get_absolute_url() + "?a=1&b=2").text
    lesson_page = reader.get(lesson.get_absolute_url()).text

    assert (
        f'name="next" type="hidden" value="{course.get_absolute_url()}?a=1&amp;b=2"'
        in (course_page)
    )
    assert f'name="next" type="hidden" value="{lesson.get_absolute_url()}"' in (
        lesson_page
    )


def test_the_chrome_follows_the_language(caches_on, student):
    course = make_course(slug="andes")
    reader = client_for(student)
    assert "Log out" in reader.get(course.get_absolute_url()).text

    reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = reader.get(course.get_absolute_url()).text

    assert "Log out" not in page
    assert '<html lang="es">' in page
    assert '<option value="es" selected>' in page


def test_the_cached_chrome_carries_a_working_csrf_token_per_visitor(caches_on, db):
    course = make_course(slug="andes")
    tokens = []
    for name in ("ana", "ben"):
        client = Client(enforce_csrf_checks=True)
        client.force_login(UserFactory(username=name))
        page = client.get(course.get_absolute_url()).text
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert len(found) == 3  # log out, enrol, language
        assert len(set(found)) == 1
        tokens.append(found[0])
        response = client.post(reverse("logout"), {"csrfmiddlewaretoken": found[0]})
        assert response.status_code == 302
        assert "_auth_user_id" not in client.session

    assert tokens[0] != tokens[1]


def test_the_grades_table_follows_a_renamed_quiz_and_its_weights(
    caches_on, student, course_with_exam
):
    course, quiz = course_with_exam
    other = make_quiz(course=course, slug="quiz-2", title="Quiz two")
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    url = reverse("quizzes:course-grades", kwargs={"course_slug": course.slug})
    assert "Final exam" in reader.get(url).text

    quiz.title = "Last exam"
    quiz_services.quiz_save(quiz=quiz)
    page = reader.get(url).text
    assert "Last exam" in page
    assert "Final exam" not in page
    assert "Weight" not in page

    other.weight = 3
    quiz_services.quiz_save(quiz=other)
    assert "Weight" in reader.get(url).text


def test_the_quiz_page_lists_each_new_attempt(caches_on, student, course_with_exam):
    course, quiz = course_with_exam
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    page = reader.get(quiz.get_absolute_url()).text
    assert "Your attempts" not in page
    assert "Start the quiz" in page

    attempt = quiz_services.attempt_start(quiz=quiz, user=student)
    page = reader.get(quiz.get_absolute_url()).text
    assert "Continue your attempt" in page
    assert page.count("<tr>") == 2  # the head and one attempt

    quiz_services.attempt_submit(attempt=attempt)
    page = reader.get(quiz.get_absolute_url()).text
    assert "Continue your attempt" not in page
    assert "Start a new attempt" in page
    assert "Review<span" in page

    take(quiz, student, "true")
    page = reader.get(quiz.get_absolute_url()).text
    assert page.count("Review<span") == 2
    assert "100%" in page


def test_the_lesson_page_shows_an_edited_lesson_at_once(caches_on, student):
    course = make_course(slug="andes")
    lesson = course.lessons.order_by("position").first()
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    assert reader.get(lesson.get_absolute_url()).status_code == 200
    assert reader.get(lesson.get_absolute_url()).status_code == 200  # cached

    lesson.title = "Condors of the high Andes"
    lesson.body_markdown = "Condors glide over the *altiplano*."
    lesson_services.lesson_save(lesson=lesson)

    page = reader.get(lesson.get_absolute_url()).text
    assert "Condors of the high Andes" in page
    assert "<em>altiplano</em>" in page


def test_the_lesson_page_shows_each_student_their_own_completion(caches_on, db):
    course = make_course(slug="andes")
    lesson = course.lessons.order_by("position").first()
    done, fresh = UserFactory(username="done"), UserFactory(username="fresh")
    for user in (done, fresh):
        EnrollmentFactory(user=user, course=course)
    assert "Mark complete" in client_for(done).get(lesson.get_absolute_url()).text

    lesson_services.lesson_complete(user=done, lesson=lesson)

    assert "You completed this lesson." in (
        client_for(done).get(lesson.get_absolute_url()).text
    )
    page = client_for(fresh).get(lesson.get_absolute_url()).text
    assert "You completed this lesson." not in page
    assert "Mark complete" in page


def test_the_lesson_quiz_panel_shows_each_student_their_own_score(caches_on, db):
    course = make_course(slug="andes")
    lesson = course.lessons.order_by("position").first()
    quiz = make_quiz(course=course, lesson=lesson, title="Check", questions=[QUESTION])
    taker, other = UserFactory(username="taker"), UserFactory(username="other")
    for user in (taker, other):
        EnrollmentFactory(user=user, course=course)
    first = client_for(taker).get(lesson.get_absolute_url()).text
    assert "Take the quiz" in first
    assert "best score" not in first

    take(quiz, taker, "true")

    page = client_for(taker).get(lesson.get_absolute_url()).text
    assert "best score 100%" in page
    assert "Open the quiz" in page
    theirs = client_for(other).get(lesson.get_absolute_url()).text
    assert "best score" not in theirs
    assert "Take the quiz" in theirs


def test_the_lesson_quiz_panel_follows_its_quiz_as_it_is_edited(caches_on, student):
    course = make_course(slug="andes")
    lesson = course.lessons.order_by("position").first()
    quiz = make_quiz(course=course, lesson=lesson, title="Check", questions=[QUESTION])
    EnrollmentFactory(user=student, course=course)
    reader = client_for(student)
    assert "Check" in reader.get(lesson.get_absolute_url()).text

    quiz.title = "Puna grasslands drill"
    quiz_services.quiz_save(quiz=quiz)

    assert "Puna grasslands drill" in reader.get(lesson.get_absolute_url()).text
