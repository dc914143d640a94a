"""A short check of a running cluster (`make cluster-smoke`, by hand; not in CI):
whichever node serves a request, the session, the CSRF token, the shared cache and
an upload work. Node A and node B are the two app servers, asked directly.

1. a staff user logs in through node A; node B knows the session;
2. a form token issued by node A is accepted by node B;
3. node B shows a student's quiz page (and caches it); the student starts the
   exam through node A; node B's page then offers to continue that attempt
   (the shared cache was invalidated for both);
4. a document uploaded to node A (held in the shared media folder) is previewed
   by node B;
5. the balancer answers, and serves no private media.

    python bench/cluster/smoke.py        (exit 1 on the first failure)
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
VAR = ROOT / "var" / "cluster"
PORTS = os.environ.get("CLUSTER_APP_PORTS", "8101 8102").split()
A, B = (f"http://127.0.0.1:{port}" for port in PORTS[:2])
LB = f"http://127.0.0.1:{os.environ.get('CLUSTER_PORT', '8080')}"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def check(name: str, ok: bool, detail: str = "") -> None:
    print(f"  {'ok ' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}")
    if not ok:
        sys.exit(1)


def main() -> None:
    env = dict(os.environ)
    for line in (VAR / "env").read_text().splitlines():
        name, _, value = line.partition("=")
        env[name] = value
    users = VAR / "smoke-users.json"
    subprocess.run(
        [sys.executable, str(Path(__file__).with_name("prepare.py")),
         "--students", "1", "--staff", "1", "--out", str(users)],
        check=True, env=env, cwd=ROOT,
    )  # fmt: skip
    accounts = json.loads(users.read_text())
    staff = accounts["staff"][0]
    course, quiz = accounts["course"], accounts["quiz"]
    print(f"cluster smoke: node A {A}, node B {B}, balancer {LB}")

    s = requests.Session()
    page = s.get(f"{A}/accounts/login/")
    done = s.post(
        f"{A}/accounts/login/",
        data={
            "csrfmiddlewaretoken": TOKEN.search(page.text)[1],
            "username": staff["username"],
            "password": staff["password"],
        },
        allow_redirects=False,
    )
    check("log in through node A", done.status_code == 302, str(done.status_code))
    teach = s.get(f"{B}/teach/", allow_redirects=False)
    check("node B knows the session", teach.status_code == 200, str(teach.status_code))

    token = TOKEN.search(s.get(f"{A}/teach/import/").text)[1]
    lang = s.post(
        f"{B}/i18n/setlang/",
        data={"csrfmiddlewaretoken": token, "language": "en", "next": "/"},
        allow_redirects=False,
    )
    check(
        "node B accepts node A's form token",
        lang.status_code == 302,
        str(lang.status_code),
    )

    student = requests.Session()
    student.cookies.set("sessionid", accounts["students"][0]["session"])
    quiz_url = f"/courses/{course}/quizzes/{quiz}/"
    before = student.get(f"{B}{quiz_url}")
    check("node B shows the quiz", before.status_code == 200, str(before.status_code))
    started = student.post(
        f"{A}{quiz_url}start/",
        data={"csrfmiddlewaretoken": TOKEN.search(before.text)[1], "confirm": "1"},
        allow_redirects=False,
    )
    attempt = started.headers.get("Location", "")
    check("the exam starts through node A", "/attempts/" in attempt, attempt)
    after = student.get(f"{B}{quiz_url}").text
    check("node B's quiz page offers that attempt at once", attempt in after)

    upload = s.post(
        f"{A}/teach/import/",
        data={"csrfmiddlewaretoken": token, "format": "auto"},
        files={
            "document": (
                "smoke.md",
                b"# Smoke course\n\n## One\n\nText.\n\n## Two\n\nMore.\n",
            )
        },
        allow_redirects=False,
    )
    preview = upload.headers.get("Location", "")
    check(
        "node A holds the upload",
        upload.status_code == 302 and "/import/" in preview,
        f"{upload.status_code} {preview}",
    )
    shown = s.get(f"{B}{preview}")
    check(
        "node B previews the upload from the shared media folder",
        shown.status_code == 200 and "Smoke course" in shown.text,
        str(shown.status_code),
    )
    s.post(f"{B}{preview}", data={"csrfmiddlewaretoken": token, "action": "cancel"})

    check("the balancer answers", requests.get(f"{LB}/healthz").text == "ok")
    held = requests.get(f"{LB}/media/imports/x")
    check(
        "the balancer serves no held uploads",
        held.status_code == 404,
        str(held.status_code),
    )
    print("cluster smoke: all passed")


if __name__ == "__main__":
    main()
