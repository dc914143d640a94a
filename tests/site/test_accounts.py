"""Accounts: sign-up, log in and out, change and reset a password."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # UserFactory's
NEW_PASSWORD = "a-brand-new-passphrase-42"


def logged_in_user_id(client):
    return client.session.get(SESSION_KEY)


# --------------------------------------------------------------------------
# Sign-up


def _signup(client, **changes):
    data = {
        "username": "newstudent",
        "email": "New.Student@Example.com",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    data.update(changes)
    return client.post(reverse("signup"), data)


def test_signup_page_asks_for_username_email_and_password_twice(client):
    response = client.get(reverse("signup"))

    assert response.status_code == 200
    assert set(response.context["form"].fields) >= {
        "username",
        "email",
        "password1",
        "password2",
    }


def test_signup_creates_the_user_and_logs_them_in(client):
    response = _signup(client)

    assert response.status_code == 302
    assert response.url == reverse("lessons:catalogue")
    user = User.objects.get(username="newstudent")
    assert user.check_password(NEW_PASSWORD)
    assert not user.is_staff
    assert str(logged_in_user_id(client)) == str(user.pk)


def test_signup_stores_the_email_in_lower_case(client):
    _signup(client)

    assert User.objects.get(username="newstudent").email == "new.student@example.com"


def test_signup_welcomes_the_new_user(client):
    _signup(client)

    response = client.get(reverse("lessons:catalogue"))

    assert "Welcome, newstudent!" in response.content.decode()


def test_signup_rejects_an_email_already_in_use_whatever_its_case(client):
    UserFactory(username="first", email="taken@example.com")

    response = _signup(client, email="TAKEN@example.com")

    assert response.status_code == 200
    assert "An account with this e-mail already exists." in response.content.decode()
    assert not User.objects.filter(username="newstudent").exists()
    assert logged_in_user_id(client) is None


def test_signup_rejects_a_username_already_in_use(client):
    UserFactory(username="newstudent")

    response = _signup(client, email="other@example.com")

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert User.objects.filter(username="newstudent").count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password2": "something-else-entirely-9"}, "password2"),
        ({"password1": "12345678", "password2": "12345678"}, "password2"),
        ({"password1": "short", "password2": "short"}, "password2"),
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
    ],
)
def test_signup_rejects_invalid_input(client, changes, field):
    response = _signup(client, **changes)

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not User.objects.filter(username="newstudent").exists()


def test_signup_sends_a_logged_in_user_to_my_learning(client, student):
    client.force_login(student)

    response = client.get(reverse("signup"))

    assert response.status_code == 302
    assert response.url == reverse("lessons:my-learning")


# --------------------------------------------------------------------------
# Log in and out


def test_login_with_the_right_password_goes_to_my_learning(client, student):
    response = client.post(
        reverse("login"), {"username": student.username, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("lessons:my-learning")
    assert str(logged_in_user_id(client)) == str(student.pk)


def test_login_follows_the_next_parameter(client, student, course):
    response = client.post(
        f"{reverse('login')}?next={course.get_absolute_url()}",
        {
            "username": student.username,
            "password": PASSWORD,
            "next": course.get_absolute_url(),
        },
    )

    assert response.url == course.get_absolute_url()


def test_login_ignores_a_next_parameter_to_another_site(client, student):
    response = client.post(
        reverse("login"),
        {
            "username": student.username,
            "password": PASSWORD,
            "next": "https://evil.example/",
        },
    )

    assert response.url == reverse("lessons:my-learning")


def test_login_with_a_wrong_password_is_refused(client, student):
    response = client.post(
        reverse("login"), {"username": student.username, "password": "wrong"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors
    assert logged_in_user_id(client) is None


def test_logout_is_a_post_and_returns_to_the_catalogue(client, student):
    client.force_login(student)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("lessons:catalogue")
    assert logged_in_user_id(client) is None


def test_logout_by_get_is_not_allowed(client, student):
    client.force_login(student)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert str(logged_in_user_id(client)) == str(student.pk)


def test_every_page_offers_logout_as_a_form(client, student):
    client.force_login(student)

    html = client.get(reverse("lessons:catalogue")).content.decode()

    assert re.search(
        rf'<form method="post" action="{reverse("logout")}"[^>]*>'
        r'<input type="hidden" name="csrfmiddlewaretoken"',
        html,
    )


# --------------------------------------------------------------------------
# Password change


def test_password_change_needs_a_login(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_password_change_changes_the_password_and_keeps_the_user_logged_in(
    client, student
):
    client.force_login(student)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    student.refresh_from_db()
    assert student.check_password(NEW_PASSWORD)
    assert client.get(reverse("lessons:my-learning")).status_code == 200
    assert "Your password was changed." in client.get(response.url).content.decode()


def test_password_change_needs_the_old_password(client, student):
    client.force_login(student)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "not-it",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


# --------------------------------------------------------------------------
# Password reset


def _reset_link(message) -> str:
    match = re.search(
        r"https?://testserver(/accounts/reset/[^/\s]+/[^/\s]+/)", message.body
    )
    assert match, message.body
    return match.group(1)


def test_password_reset_emails_a_working_link(client, student):
    response = client.post(reverse("password_reset"), {"email": student.email})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [student.email]
    link = _reset_link(message)

    # The emailed link swaps its token for a session and redirects to the form.
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    student.refresh_from_db()
    assert student.check_password(NEW_PASSWORD)
    logged_in = client.post(
        reverse("login"), {"username": student.username, "password": NEW_PASSWORD}
    )
    assert logged_in.status_code == 302
    assert client.session["_auth_user_id"] == str(student.pk)


def test_password_reset_finds_the_account_whatever_the_email_case(client, student):
    client.post(reverse("password_reset"), {"email": student.email.upper()})

    assert len(mail.outbox) == 1


def test_a_used_reset_link_no_longer_works(client, student):
    client.post(reverse("password_reset"), {"email": student.email})
    link = _reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    client.logout()

    again = client.get(link, follow=True)

    assert not again.context["validlink"]
    assert "This reset link is invalid" in again.content.decode()


def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(
    client,
):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []
