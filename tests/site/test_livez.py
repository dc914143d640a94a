"""/livez: the liveness check, and the floor every page is measured against. It
answers without the database, the cache or the session."""

import pytest
from django.core.cache import caches

pytestmark = pytest.mark.django_db


def test_livez_answers_ok_in_plain_text_without_any_query(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/livez")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_livez_answers_for_a_logged_in_user_without_loading_them(
    student_client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert student_client.get("/livez").status_code == 200


def test_livez_answers_while_the_database_is_unreachable(client, monkeypatch):
    from django.db.backends.base.base import BaseDatabaseWrapper

    def broken(self, *args, **kwargs):
        raise AssertionError("livez touched the database")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", broken)
    monkeypatch.setattr(caches["default"], "get", broken)
    assert client.get("/livez").status_code == 200


def test_livez_rejects_post(client):
    assert client.post("/livez").status_code == 405
