"""Password-reset mail is limited per e-mail address and per client address an
hour, and the limit, like the form, never tells whether an account exists."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(db):
    return UserFactory(username="forgetful", email="forgetful@example.com")


def page_text(response, email: str) -> str:
    """The page without what differs anyway: the address typed, the CSRF token."""
    html = response.content.decode().replace(email, "EMAIL")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def ask_reset(client, email, *, address="192.0.2.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_reset_mail_to_one_address_stops_after_three_an_hour(client, account):
    sent = [ask_reset(client, account.email, address=f"192.0.2.{n}") for n in range(3)]

    refused = ask_reset(client, account.email, address="192.0.2.99")

    assert [r.status_code for r in sent] == [302, 302, 302]
    assert len(mail.outbox) == 3
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_the_address_limit_ignores_the_case_of_the_address(client, account):
    for n, email in enumerate(
        ["forgetful@example.com", "FORGETFUL@example.com", "Forgetful@Example.com"]
    ):
        ask_reset(client, email, address=f"192.0.2.{n}")

    refused = ask_reset(client, "forgetful@EXAMPLE.COM", address="192.0.2.99")

    assert refused.status_code == 429
    assert len(mail.outbox) == 3


def test_one_client_asking_for_many_addresses_is_stopped(client, db):
    for n in range(12):
        UserFactory(username=f"user{n}", email=f"user{n}@example.com")

    answers = [ask_reset(client, f"user{n}@example.com") for n in range(12)]

    assert [r.status_code for r in answers] == [302] * 10 + [429] * 2
    assert len(mail.outbox) == 10


def test_the_limit_does_not_reveal_whether_an_account_exists(client, account):
    for n in range(3):
        ask_reset(client, account.email, address=f"192.0.2.{n}")
        ask_reset(client, "nobody@example.com", address=f"192.0.2.{n}")

    known = ask_reset(client, account.email, address="192.0.2.99")
    unknown = ask_reset(client, "nobody@example.com", address="192.0.2.99")

    assert known.status_code == unknown.status_code == 429
    assert page_text(known, account.email) == page_text(unknown, "nobody@example.com")


def test_other_addresses_still_get_their_mail(client, account):
    other = UserFactory(username="other", email="other@example.com")
    for n in range(4):
        ask_reset(client, account.email, address=f"192.0.2.{n}")

    response = ask_reset(client, other.email, address="192.0.2.50")

    assert response.status_code == 302
    assert mail.outbox[-1].to == [other.email]


def test_an_invalid_address_is_not_counted(client, account):
    for _ in range(12):
        client.post(reverse("password_reset"), {"email": "not an address"})

    response = ask_reset(client, account.email, address="127.0.0.1")

    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_behind_the_proxy_each_client_has_its_own_limit(client, settings, db):
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    for n in range(11):
        UserFactory(username=f"user{n}", email=f"user{n}@example.com")
    for n in range(10):
        client.post(
            reverse("password_reset"),
            {"email": f"user{n}@example.com"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_REAL_IP="198.51.100.1",
        )

    other_client = client.post(
        reverse("password_reset"),
        {"email": "user10@example.com"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_REAL_IP="198.51.100.2",
    )

    assert other_client.status_code == 302
    assert len(mail.outbox) == 11
