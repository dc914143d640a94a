"""Every form field on the account pages has a <label>, so screen readers can name
it (and clicking the label focuses the field)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.helpers import form_field_names, unlabelled_form_fields

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = {
    "signup": (reverse("signup"), {"username", "email", "password1", "password2"}),
    "login": (reverse("login"), {"username", "password"}),
    "password reset": (reverse("password_reset"), {"email"}),
    "catalogue": (reverse("lessons:catalogue"), {"language"}),
}


@pytest.mark.parametrize(
    ("url", "fields"), ANONYMOUS_PAGES.values(), ids=ANONYMOUS_PAGES.keys()
)
def test_every_form_field_has_a_label(client, url, fields):
    html = client.get(url).content.decode()

    assert fields <= form_field_names(html)
    assert unlabelled_form_fields(html) == []


def test_signup_form_with_errors_still_labels_every_field(client):
    html = client.post(reverse("signup"), {"username": "x"}).content.decode()

    assert unlabelled_form_fields(html) == []


def test_password_change_form_labels_every_field(client, student):
    client.force_login(student)

    html = client.get(reverse("password_change")).content.decode()

    assert {"old_password", "new_password1", "new_password2"} <= form_field_names(html)
    assert unlabelled_form_fields(html) == []


def test_password_reset_confirm_form_labels_every_field(client, student):
    client.post(reverse("password_reset"), {"email": student.email})
    link = re.search(r"https?://testserver(/\S+/)", mail.outbox[0].body).group(1)

    html = client.get(link, follow=True).content.decode()

    assert {"new_password1", "new_password2"} <= form_field_names(html)
    assert unlabelled_form_fields(html) == []


def test_the_label_checker_notices_a_missing_label():
    html = (
        '<form><label for="a">A</label><input id="a" name="a">'
        '<input id="b" name="b"><label>C <input name="c"></label>'
        '<input type="hidden" name="d"><select name="e"></select></form>'
    )

    missing = unlabelled_form_fields(html)

    assert len(missing) == 2
    assert "'b'" in missing[0]
    assert "'e'" in missing[1]
