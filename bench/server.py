"""A seeded coursesite behind gunicorn, as deployed, for throughput benchmarks.

``Site.start`` prepares a fresh SQLite database and static files in a temporary
folder (bench/site_setup.py), starts gunicorn on a free port of 127.0.0.1 with
DEBUG off and a throwaway SECRET_KEY, logs the bench student in through the real
login form, and checks that the pages under test render for that student before
anything is measured. Every throughput benchmark shares the one server.
"""

import html
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench.core import BASE_ENV, ROOT
from bench.loadgen import Target

HOST = "127.0.0.1"
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# The same for every page measured: two single-threaded sync workers, one per core.
GUNICORN_ARGS = ("--workers", "2", "--threads", "1", "--worker-class", "sync")


class BenchSetupError(RuntimeError):
    """The server could not be prepared: the bench is broken, not slow."""


def server_env(workdir: Path) -> dict[str, str]:
    """The production settings, pointed at throwaway state in ``workdir``."""
    env = dict(BASE_ENV)
    env.pop("BENCH_PLAIN_STATIC", None)
    pythonpath = [str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=os.pathsep.join(pythonpath),
        DEBUG="0",
        SECRET_KEY="bench-" + secrets.token_urlsafe(40),
        DATABASE_URL=f"sqlite:///{workdir / 'site.sqlite3'}",
        ALLOWED_HOSTS=f"{HOST},localhost",
        BENCH_STATIC_ROOT=str(workdir / "static"),
        MEDIA_ROOT=str(workdir / "media"),
        CACHE_DIR=str(workdir / "cache"),
        BENCH_COUNT_QUERIES="1",  # bench/query_count.py (quiz-journey)
    )
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or ():
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


@dataclass
class Site:
    host: str
    port: int
    process: subprocess.Popen
    log_path: Path
    info: dict
    cookie_header: str = ""

    @classmethod
    def start(cls, workdir: Path) -> "Site":
        workdir.mkdir(parents=True, exist_ok=True)
        env = server_env(workdir)
        info = _prepare(env, workdir)
        site = None
        for _attempt in range(3):  # a free port can be taken before gunicorn binds
            site = cls._launch(env, workdir, info)
            if site is not None:
                break
        if site is None:
            raise BenchSetupError(
                "gunicorn did not start; its log:\n"
                + (workdir / "gunicorn.log").read_text(errors="replace")[-3000:]
            )
        try:
            site._log_in()
            site._check_pages()
        except BaseException:
            site.stop()
            raise
        return site

    @classmethod
    def _launch(cls, env, workdir, info) -> "Site | None":
        port = _free_port()
        log_path = workdir / "gunicorn.log"
        command = [
            sys.executable, "-m", "gunicorn", "coursesite.wsgi:application",
            *GUNICORN_ARGS, "--bind", f"{HOST}:{port}",
            "--log-level", "warning", "--timeout", "60",
        ]  # fmt: skip
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its workers go with it in stop()
            )
        site = cls(HOST, port, process, log_path, info)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                return None
            try:
                status, _, _ = site.get("/healthz")
                if status == 200:
                    return site
            except OSError:
                pass
            time.sleep(0.1)
        site.stop()
        return None

    @property
    def description(self) -> str:
        return "gunicorn " + " ".join(GUNICORN_ARGS)

    def get(self, path: str, *, cookies: bool = False):
        """One plain GET (for setup and checks, not for load): status, headers, body."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            headers = {"Cookie": self.cookie_header} if cookies else {}
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            return response.status, response, response.read().decode("utf-8")
        finally:
            conn.close()

    def worker_cpu(self) -> float | None:
        """CPU seconds (user + system) used so far by gunicorn's workers.

        Read from /proc (Linux); None elsewhere. Unlike requests/second it does not
        change when other programs take CPU time, so it cross-checks the ratios.
        """
        total, found = 0.0, False
        try:
            entries = os.listdir("/proc")
        except OSError:
            return None
        for entry in entries:
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:  # the process is gone, or not ours to read
                continue
            fields = stat[stat.rfind(")") + 2 :].split()
            if int(fields[1]) == self.process.pid:  # a worker of our master
                total += (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
                found = True
        return total if found else None

    def target(self, name: str, path: str, *, logged_in: bool = True) -> Target:
        headers = (("Cookie", self.cookie_header),) if logged_in else ()
        return Target(name=name, path=path, headers=headers)

    def _log_in(self) -> None:
        """Post the login form, as a browser does, and keep the session cookie."""
        status, response, body = self.get("/accounts/login/")
        cookies = _cookies(response)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match or "csrftoken" not in cookies:
            raise BenchSetupError(f"login page: HTTP {status}, no CSRF token")
        form = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1),
                "username": self.info["username"],
                "password": self.info["password"],
            }
        )
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(
                "POST",
                "/accounts/login/",
                body=form,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={cookies['csrftoken']}",
                },
            )
            response = conn.getresponse()
            response.read()
        finally:
            conn.close()
        cookies.update(_cookies(response))  # login rotates the CSRF token
        if response.status != 302 or "sessionid" not in cookies:
            raise BenchSetupError(
                f"logging in answered HTTP {response.status} without a session"
            )
        self.cookie_header = "; ".join(
            f"{name}={cookies[name]}" for name in ("csrftoken", "sessionid")
        )

    def _check_pages(self) -> None:
        """What is measured must be the real page for a logged-in student."""
        username = html.escape(self.info["username"])
        lesson_title = html.escape(self.info["lesson_title"])
        checks = [
            ("/livez", ["ok"]),
            ("/healthz", ["ok"]),
            (self.info["lesson_path"], [username, lesson_title, "Mark complete"]),
            (self.info["syllabus_path"], [username, "Syllabus"]),
            # The submitted 20-question quiz is graded: its row shows a grade.
            (self.info["grades_path"], [username, "Course total", "100%"]),
        ]
        for path, expected in checks:
            status, _, body = self.get(path, cookies=True)
            missing = [text for text in expected if text not in body]
            if status != 200 or missing:
                raise BenchSetupError(
                    f"GET {path}: HTTP {status}, page lacks {missing!r}"
                )
        # DEBUG is off: static URLs must be hashed (manifest) and served by WhiteNoise.
        _, _, body = self.get(self.info["lesson_path"], cookies=True)
        css = re.search(
            r'href="(/static/bootstrap/css/bootstrap\.min\.\w+\.css)"', body
        )
        if not css or self.get(css.group(1))[0] != 200:
            raise BenchSetupError("static files are not served from the manifest")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's master stops its workers
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _prepare(env: dict[str, str], workdir: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "bench.site_setup"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    (workdir / "setup.log").write_text(result.stdout + result.stderr)
    if result.returncode != 0:
        raise BenchSetupError(
            "preparing the bench database failed:\n" + result.stderr[-3000:]
        )
    return json.loads(result.stdout.strip().splitlines()[-1])
