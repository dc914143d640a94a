"""/healthz: what load balancers poll."""

from unittest import mock

import pytest
from django.db.backends.utils import CursorWrapper

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


def test_healthz_asks_the_database(client):
    # The check runs on a connection of its own (see coursesite.health), so it is
    # counted on the cursor, not on the request's connection.
    with mock.patch.object(
        CursorWrapper, "execute", autospec=True, side_effect=CursorWrapper.execute
    ) as execute:
        client.get("/healthz")

    assert [call.args[1] for call in execute.call_args_list].count("SELECT 1") == 1


def test_healthz_rejects_post(client):
    assert client.post("/healthz").status_code == 405
