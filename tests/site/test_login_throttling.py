"""Logging in is throttled (django-axes): after a few wrong passwords an account
is locked, on the site's login page and on the admin's, with a clear page; the
lock ends after the cool-off time or when an admin lifts it."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "right-password-123"


@pytest.fixture
def account(db):
    user = UserFactory(username="victim")
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def admin_account(db):
    user = UserFactory(username="boss", is_staff=True, is_superuser=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, username, password, *, url_name="login"):
    return client.post(reverse(url_name), {"username": username, "password": password})


def fail_many(client, username, *, times=50, url_name="login"):
    for _ in range(times):
        log_in(client, username, "wrong-guess", url_name=url_name)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_fifty_wrong_passwords_then_the_right_one_is_refused(client, account):
    fail_many(client, account.username)

    response = log_in(client, account.username, PASSWORD)

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_lockout_page_says_what_happened_and_when_to_retry(client, account):
    fail_many(client, account.username, times=5)

    response = log_in(client, account.username, PASSWORD)

    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed login attempts" in html
    assert "15 minutes" in html
    assert "<html" in html  # the site's own page, not a bare message


def test_a_few_typos_do_not_lock_the_account(client, account):
    fail_many(client, account.username, times=4)

    response = log_in(client, account.username, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_lock_holds_from_another_address_too(client, account):
    for _ in range(5):
        client.post(
            reverse("login"),
            {"username": account.username, "password": "wrong-guess"},
            REMOTE_ADDR="10.0.0.1",
        )

    response = client.post(
        reverse("login"),
        {"username": account.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
    )

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_the_admin_login_is_throttled_too(client, admin_account):
    fail_many(client, admin_account.username, url_name="admin:login")

    response = log_in(client, admin_account.username, PASSWORD, url_name="admin:login")

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_failures_on_the_site_lock_the_admin_login_as_well(client, admin_account):
    fail_many(client, admin_account.username, times=5)

    response = log_in(client, admin_account.username, PASSWORD, url_name="admin:login")

    assert response.status_code == 429


def test_the_lock_ends_after_the_cool_off_time(client, account):
    fail_many(client, account.username)
    assert log_in(client, account.username, PASSWORD).status_code == 429
    # Sixteen minutes later (the cool-off is fifteen).
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    response = log_in(client, account.username, PASSWORD)

    assert response.status_code == 302
    assert is_logged_in(client)


def test_an_admin_lifts_the_lock_in_the_admin(client, account, admin_account):
    fail_many(client, account.username)
    assert log_in(client, account.username, PASSWORD).status_code == 429
    locks = list(AccessAttempt.objects.values_list("pk", flat=True))
    assert locks

    admin_client = Client()
    admin_client.force_login(admin_account)
    lifted = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": locks, "post": "yes"},
    )
    response = log_in(client, account.username, PASSWORD)

    assert lifted.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert response.status_code == 302
    assert is_logged_in(client)


def test_the_reset_command_lifts_the_lock(client, account):
    fail_many(client, account.username, times=5)

    call_command("axes_reset_username", account.username)
    response = log_in(client, account.username, PASSWORD)

    assert response.status_code == 302


def test_a_lock_on_one_account_leaves_other_accounts_alone(client, account):
    other = UserFactory(username="bystander")
    other.set_password(PASSWORD)
    other.save()
    fail_many(client, account.username)

    response = log_in(client, other.username, PASSWORD)

    assert response.status_code == 302
