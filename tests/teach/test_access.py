"""Who may open the staff area, and what each instructor sees: only staff get in,
and an instructor of one course gets a 404 for everything of another course."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory
from tests.teach.conftest import ESSAY, SINGLE, make_quiz, take

pytestmark = pytest.mark.django_db


@pytest.fixture
def foreign(other_course, enrolled):
    """Everything of the other course: a quiz, a student, an essay attempt."""
    quiz = make_quiz(other_course, slug="foreign", questions=(SINGLE, ESSAY))
    (student,) = enrolled("outsider", target=other_course)
    attempt = take(quiz, student, {"capital": "Lima", "essay": "Words."})
    response = attempt.responses.get(snapshot__type="essay")
    return {
        "course": other_course,
        "quiz": quiz,
        "student": student,
        "attempt": attempt,
        "response": response,
        "question": response.question,
    }


def _foreign_urls(f):
    slug = f["course"].slug
    return [
        reverse("teach:gradebook", args=[slug]),
        reverse("teach:gradebook-csv", args=[slug]),
        reverse("teach:responses-csv", args=[slug]),
        reverse("teach:student", args=[slug, f["student"].pk]),
        reverse("teach:statistics", args=[slug, f["quiz"].slug]),
        reverse("teach:flagged", args=[slug]),
        reverse("teach:regrade", args=[slug]) + f"?question={f['question'].pk}",
        reverse("teach:attempt", args=[f["attempt"].pk]),
        reverse("teach:response-grade", args=[f["response"].pk]),
        reverse("teach:response-override", args=[f["response"].pk]),
    ]


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("teach:dashboard"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_students_are_refused(client, student):
    client.force_login(student)
    assert client.get(reverse("teach:dashboard")).status_code == 403
    assert client.get(reverse("teach:queue")).status_code == 403


def test_an_instructor_gets_404_for_everything_of_a_course_they_do_not_teach(
    teacher_client, foreign
):
    for url in _foreign_urls(foreign):
        assert teacher_client.get(url).status_code == 404, url


def test_posts_about_another_courses_response_are_404_and_change_nothing(
    teacher_client, foreign
):
    response = foreign["response"]
    urls = [
        reverse("teach:response-grade", args=[response.pk]),
        reverse("teach:response-override", args=[response.pk]),
        reverse("teach:response-request-review", args=[response.pk]),
    ]
    for url in urls:
        answer = teacher_client.post(url, {"score": "1", "reason": "x"})
        assert answer.status_code == 404, url
    response.refresh_from_db()
    assert response.needs_manual and response.score is None
    regrade = reverse("teach:regrade", args=[foreign["course"].slug])
    assert teacher_client.post(f"{regrade}?quiz=foreign").status_code == 404


def test_an_instructor_sees_only_their_courses_on_the_dashboard(
    teacher_client, course, foreign
):
    page = teacher_client.get(reverse("teach:dashboard")).content.decode()
    assert course.title in page
    assert foreign["course"].title not in page


def test_the_queue_shows_only_the_instructors_courses(teacher_client, foreign):
    page = teacher_client.get(reverse("teach:queue")).content.decode()
    assert "outsider" not in page
    filtered = teacher_client.get(
        reverse("teach:queue"), {"course": foreign["course"].pk}
    )
    assert filtered.status_code == 400  # not one of the choices offered


def test_a_superuser_sees_every_course(client, foreign):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for url in _foreign_urls(foreign):
        assert client.get(url).status_code == 200, url


def test_staff_who_teach_nothing_see_no_course(client, foreign):
    client.force_login(StaffFactory(username="helper"))
    assert client.get(reverse("teach:dashboard")).status_code == 200
    assert (
        client.get(
            reverse("teach:gradebook", args=[foreign["course"].slug])
        ).status_code
        == 404
    )


def test_the_navbar_links_to_the_staff_area_for_staff_only(client, instructor, student):
    client.force_login(student)
    assert reverse("teach:dashboard") not in client.get("/").content.decode()
    client.force_login(instructor)
    assert reverse("teach:dashboard") in client.get("/").content.decode()


def test_the_admin_index_links_to_the_staff_area(client):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("teach:dashboard") in page
