"""Prepare the database and static files a benchmark server runs on.

Run by bench/server.py as ``python -m bench.site_setup`` with the server's own
environment (so it writes the same database the server reads), it goes through
what a deployment does: migrate, collectstatic, import the seed course with the
real management command; then it creates a student who is enrolled and has
completed the first two lessons, and prints what the benchmarks need as JSON on
its last line of output.
"""

import json
import secrets
import sys

import django


def main() -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from bench.core import SEED_DOCUMENT, SEED_SLUG
    from lessons import selectors, services
    from lessons.models import Course

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command(
        "import_document",
        str(SEED_DOCUMENT),
        slug=SEED_SLUG,
        publish=True,
        stdout=sys.stderr,
    )
    course = Course.objects.get(slug=SEED_SLUG)

    password = secrets.token_urlsafe(16)
    student = User.objects.create_user(
        "bench-student", email="bench-student@example.com", password=password
    )
    services.enrollment_create(user=student, course=course)
    lessons = selectors.outline_lessons(
        selectors.course_outline(course=course, user=student)
    )
    for lesson in course.lessons.filter(pk__in=[item.id for item in lessons[:2]]):
        services.lesson_complete(user=student, lesson=lesson)
    # A lesson from the middle of the course: not completed, so the page shows the
    # "Mark complete" form; inside a multi-lesson module for the seed course.
    lesson = lessons[len(lessons) // 2]
    print(
        json.dumps(
            {
                "username": student.username,
                "password": password,
                "course_title": course.title,
                "syllabus_path": course.get_absolute_url(),
                "lesson_title": lesson.title,
                "lesson_path": lesson.url,
                "lesson_count": len(lessons),
            }
        )
    )


if __name__ == "__main__":
    main()
