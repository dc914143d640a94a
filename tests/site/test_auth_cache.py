"""The cached authentication backend: fewer queries, never a stale account."""

import pytest

from coursesite.auth import CachedModelBackend
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_cache(settings):
    settings.AUTH_USER_CACHE_SECONDS = 600


def test_a_repeat_request_does_not_load_the_user_again(
    client, user_cache, django_assert_num_queries
):
    user = UserFactory()
    client.force_login(user)
    client.get("/healthz")  # loads nothing: healthz does not touch request.user
    client.get("/learning/")
    with django_assert_num_queries(0):
        response = client.get("/accounts/password_change/")
    assert response.status_code == 200


def test_a_deactivated_user_is_logged_out_at_the_next_request(client, user_cache):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/learning/").status_code == 200
    user.is_active = False
    user.save()
    response = client.get("/learning/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_password_change_elsewhere_ends_the_session(client, user_cache):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/learning/").status_code == 200
    user.set_password("another-password-42")
    user.save()
    assert client.get("/learning/").status_code == 302


def test_staff_rights_take_effect_at_once(
    client, user_cache, django_assert_num_queries
):
    user = UserFactory()
    client.force_login(user)
    client.get("/learning/")
    user.is_staff = True
    user.save()
    assert b"/admin/" in client.get("/learning/").content
    with django_assert_num_queries(0):  # the new row is the cached one
        assert CachedModelBackend().get_user(user.pk).is_staff
