"""Django set up inside the bench process, on a throwaway SQLite database.

For figures that need no server (import time, query counts, profiles). The settings
are production's (DEBUG off) with plain static storage, so pages render without
``collectstatic``. The database is migrated once and copied aside;
:meth:`InProcessDjango.fresh_database` puts that pristine copy back, so each
measurement starts from an empty, migrated database.
"""

import os
import secrets
import shutil
from pathlib import Path


class InProcessDjango:
    def __init__(self, database: Path, template: Path) -> None:
        self.database = database
        self.template = template

    @classmethod
    def setup(cls, workdir: Path) -> "InProcessDjango":
        workdir.mkdir(parents=True, exist_ok=True)
        database = workdir / "db.sqlite3"
        (workdir / "static").mkdir(exist_ok=True)  # WhiteNoise warns if missing
        os.environ.update(
            BENCH_STATIC_ROOT=str(workdir / "static"),
            MEDIA_ROOT=str(workdir / "media"),
            DJANGO_SETTINGS_MODULE="bench.settings",
            DEBUG="0",
            SECRET_KEY="bench-" + secrets.token_urlsafe(40),
            DATABASE_URL=f"sqlite:///{database}",
            ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
            BENCH_PLAIN_STATIC="1",
        )
        import django
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        connections.close_all()  # the last close folds the WAL into the file
        template = workdir / "migrated.sqlite3"
        shutil.copyfile(database, template)
        return cls(database, template)

    def fresh_database(self) -> None:
        """An empty, migrated database and an empty cache, as after a deploy."""
        from django.core.cache import cache
        from django.db import connection, connections

        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.template, self.database)
        cache.clear()
        connection.ensure_connection()
