"""/healthz: what load balancers poll."""

import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_in_plain_text(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_healthz_needs_no_login(client, student):
    client.force_login(student)
    assert client.get("/healthz").status_code == 200
    client.logout()
    assert client.get("/healthz").status_code == 200


def test_healthz_asks_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/healthz")


def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405
