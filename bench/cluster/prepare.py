"""Accounts for the load test, in the cluster's database (run with its settings).

Creates (or reuses) ``load-student-NNNN`` enrolled in the course and
``load-staff-NN`` who teach it, removes what an earlier run left (their attempts at
the final exam), and writes ``users.json``: each student with a session made here
(so 500 logins do not spend the run hashing passwords; the staff log in through
the login page), each staff user with the password.

The regrade the load test runs while the task worker is killed needs work that
lasts several batches: ``load-regrade-NNNN`` students (``--regrade-students``,
made once, reused) each have one graded attempt at the final exam
(``teach.demo.demo_attempts_generate``), and every run makes their automatically
graded scores stale (0, as if graded under an earlier key), so the regrade
changes each of them once; ``users.json`` says how many (``stale_responses``).

    python bench/cluster/prepare.py --students 500 --staff 20 \
        --regrade-students 450 --out var/cluster/load/users.json
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
from quizzes.models import Attempt, Quiz, Response  # noqa: E402
from quizzes.services import quiz_status_forget  # noqa: E402
from teach.demo import demo_attempts_generate  # noqa: E402

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


def _regrade_students(course, count: int) -> int:
    """The regrade's attempts (made once) with their scores made stale; returns
    how many responses the regrade must change."""
    quiz = Quiz.objects.get(course=course, slug=QUIZ)
    students = _users("load-regrade-", count, 4)
    enrolled = set(
        Enrollment.objects.filter(course=course, user__in=students).values_list(
            "user_id", flat=True
        )
    )
    Enrollment.objects.bulk_create(
        [Enrollment(course=course, user=s) for s in students if s.pk not in enrolled]
    )
    taken = set(
        Attempt.objects.filter(quiz=quiz, user__in=students).values_list(
            "user_id", flat=True
        )
    )
    demo_attempts_generate(
        quiz=quiz, users=[s for s in students if s.pk not in taken], seed=14
    )
    return Response.objects.filter(
        attempt__quiz=quiz,
        attempt__user__in=students,
        graded_by__isnull=True,
        needs_manual=False,
        score__gt=0,
    ).update(score=0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=500)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--regrade-students", type=int, default=450)
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
        stale = _regrade_students(course, args.regrade_students)
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
                "regrade": {
                    "students": args.regrade_students,
                    "stale_responses": stale,
                },
            }
        )
    )
    print(
        f"prepared {len(students)} students (sessions made), {len(staff)} staff; "
        f"removed {removed} rows of earlier runs; {args.regrade_students} graded "
        f"attempts for the regrade, {stale} answers' scores made stale"
    )


if __name__ == "__main__":
    main()
