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


def test_healthz_keeps_its_connection_between_checks(client):
    """A check is a query on an open connection, not a new connection and its
    set-up (SQLite's pragmas) each time it is asked."""
    from django.db.backends.signals import connection_created

    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection)

    connection_created.connect(count)
    try:
        for _n in range(4):
            assert client.get("/healthz").status_code == 200
    finally:
        connection_created.disconnect(count)
    assert len(opened) <= 1  # the health thread's first, if it had none yet


def test_checks_asked_at_the_same_time_share_one_answer():
    """Threads of a threaded worker asking together all hear "yes": a check under
    way is joined, not taken for a hung one."""
    import threading

    from coursesite.health import databases_answer

    start = threading.Barrier(6)
    answers = []

    def ask():
        start.wait()
        answers.append(databases_answer(timeout=10))

    askers = [threading.Thread(target=ask) for _n in range(6)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(30)
    assert answers == [True] * 6
