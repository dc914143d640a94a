"""/healthz when the database does not answer: it must say so (503) instead of
hanging with the database.

These tests run outside pytest-django's per-test transaction (which refuses any
connection to a database it does not manage): they unblock database access
themselves, on the test database set up for the run, then point the default
database at a PostgreSQL "server" which accepts connections and never answers.
"""

import socket
import threading

import pytest
from django.db import connections


@pytest.fixture
def silent_server():
    """A TCP server on 127.0.0.1 that accepts connections and never says a word,
    like a PostgreSQL server that hangs. Yields its port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _addr = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)  # kept open, never read from or written to

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(5)
    for conn in accepted:
        conn.close()
    listener.close()
    # A health check still waiting on this server ends now; let it, so that the
    # next test's check is not refused as "still running".
    for thread in threading.enumerate():
        if thread.name.startswith("healthz-"):
            thread.join(10)


@pytest.fixture
def database_access(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def default_database_on_port(monkeypatch, database_access):
    """Points the default database at PostgreSQL on 127.0.0.1 at the given port
    (with a connect timeout longer than /healthz may wait), for connections opened
    from then on; the test database connection comes back afterwards."""
    original = connections["default"]

    def point(port: int) -> None:
        postgres = connections.configure_settings(
            {
                "default": {
                    "ENGINE": "django.db.backends.postgresql",
                    "NAME": "coursesite",
                    "USER": "coursesite",
                    "PASSWORD": "secret",
                    "HOST": "127.0.0.1",
                    "PORT": port,
                    "OPTIONS": {"connect_timeout": 5},
                }
            }
        )["default"]
        monkeypatch.setitem(connections.settings, "default", postgres)
        del connections["default"]  # this thread's next use opens a new one

    yield point
    current = getattr(connections._connections, "default", None)
    if current is not None and current is not original:
        current.close()
    connections["default"] = original


def get_healthz_or_fail(client):
    """GET /healthz on a thread of its own, so that a hang fails the test."""
    outcome = {}
    asker = threading.Thread(
        target=lambda: outcome.setdefault("response", client.get("/healthz")),
        daemon=True,
    )
    asker.start()
    asker.join(30)
    assert not asker.is_alive(), "/healthz hung with the database"
    return outcome["response"]


@pytest.mark.timeout(60)  # a guard against hanging, not a measure of speed
def test_healthz_answers_503_when_the_database_accepts_but_never_answers(
    client, silent_server, default_database_on_port
):
    assert get_healthz_or_fail(client).status_code == 200  # the test database

    default_database_on_port(silent_server)
    response = get_healthz_or_fail(client)

    assert response.status_code == 503
    assert response.content == b"database unavailable"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.timeout(60)
def test_healthz_answers_503_when_the_database_refuses_connections(
    client, default_database_on_port
):
    # Nothing listens on the port of a socket bound and closed again.
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()

    default_database_on_port(port)
    response = get_healthz_or_fail(client)

    assert response.status_code == 503
