"""The gradebook's headings: the student and the course total first (frozen by
teach.css), each quiz under a short label with its full title on hover and as
the link's accessible name, and no hidden text that could escape the table's
scroll box."""

import pytest
from django.urls import reverse

from teach.presenting import short_label
from tests.teach.conftest import make_quiz

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "label"),
    [
        ("Check: Peru", "Peru"),
        ("Check: U.S. Military Presence", "U.S. Military Presence"),
        ("Final exam", "Final exam"),
        ("Exam 2: part A", "part A"),
        (
            "A very long prefix that is not a tag: Peru",
            "A very long prefix that is not a tag: Peru",
        ),
        ("Check:", "Check:"),
    ],
)
def test_short_label(title, label):
    assert short_label(title) == label


def test_quiz_columns_have_short_labels_and_full_titles(teacher_client, course):
    make_quiz(course, slug="peru", title="Check: Peru")
    html = teacher_client.get(reverse("teach:gradebook", args=[course.slug])).content
    html = html.decode()

    assert 'title="Check: Peru"' in html
    assert 'aria-label="Check: Peru">Peru</a>' in html
    assert 'aria-label="Statistics · Check: Peru"' in html
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert "visually-hidden" not in head
    order = [head.index(c) for c in ("gradebook-name", "gradebook-total", "Peru")]
    assert order == sorted(order)
