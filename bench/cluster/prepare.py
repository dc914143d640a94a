"""Accounts for the load test, in the cluster's database (run with its settings).

Creates (or reuses) ``load-student-NNNN`` enrolled in the course and
``load-staff-NN`` who teach it, removes what an earlier run left (their attempts at
the final exam), and writes ``users.json``: each student with a session made here
(so 500 logins do not spend the run hashing passwords; the staff log in through
the login page), each staff user with the password.

    python bench/cluster/prepare.py --students 500 --staff 20 \
        --out var/cluster/load/users.json
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coursesite.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import transaction  # noqa: E402

from lessons.models import Course, Enrollment  # noqa: E402
from lessons.roles import INSTRUCTORS_GROUP  # noqa: E402
from quizzes.models import Attempt  # noqa: E402
from quizzes.services import quiz_status_forget  # noqa: E402

COURSE = "military-diplomacy"
QUIZ = "final-exam"
PASSWORD = "load-test-password-1"
BACKEND = "coursesite.auth.CachedModelBackend"


def _users(prefix: str, count: int, width: int, **fields) -> list:
    User = get_user_model()
    names = [f"{prefix}{i:0{width}d}" for i in range(1, count + 1)]
    existing = {u.username: u for u in User.objects.filter(username__in=names)}
    password = make_password(PASSWORD)  # one hash for all: hashing is slow
    missing = [
        User(username=n, email=f"{n}@example.org", password=password, **fields)
        for n in names
        if n not in existing
    ]
    User.objects.bulk_create(missing, batch_size=500)
    return list(User.objects.filter(username__in=names).order_by("username"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    course = Course.objects.get(slug=COURSE)
    with transaction.atomic():
        students = _users("load-student-", args.students, 4)
        staff = _users("load-staff-", args.staff, 2, is_staff=True)
        group = Group.objects.get(name=INSTRUCTORS_GROUP)
        group.user_set.add(*staff)
        course.instructors.add(*staff)
        enrolled = set(
            Enrollment.objects.filter(course=course, user__in=students).values_list(
                "user_id", flat=True
            )
        )
        Enrollment.objects.bulk_create(
            [
                Enrollment(course=course, user=s)
                for s in students
                if s.pk not in enrolled
            ]
        )
        removed, _ = Attempt.objects.filter(
            quiz__course=course, quiz__slug=QUIZ, user__in=students
        ).delete()
        # Cached quiz statuses and progress of these students are rebuilt.
        for student in students:
            quiz_status_forget(user_id=student.pk, course_id=course.pk)
    sessions = []
    for student in students:
        store = SessionStore()
        store[SESSION_KEY] = str(student.pk)
        store[BACKEND_SESSION_KEY] = BACKEND
        store[HASH_SESSION_KEY] = student.get_session_auth_hash()
        store.create()
        sessions.append({"username": student.username, "session": store.session_key})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "course": COURSE,
                "quiz": QUIZ,
                "students": sessions,
                "staff": [
                    {"username": s.username, "password": PASSWORD} for s in staff
                ],
            }
        )
    )
    print(
        f"prepared {len(students)} students (sessions made), {len(staff)} staff; "
        f"removed {removed} rows of earlier runs"
    )


if __name__ == "__main__":
    main()
