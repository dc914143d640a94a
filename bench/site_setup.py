"""Prepare the database and static files a benchmark server runs on.

Run by bench/server.py as ``python -m bench.site_setup`` with the server's own
environment (so it writes the same database the server reads), it goes through
what a deployment does (and ``make run``): migrate, collectstatic, import the seed
course and its question bank with the real management commands, so every lesson
page carries its quiz panel; then it creates a student who is enrolled and has
completed the first two lessons, and who has an attempt in progress at a
20-question quiz taken from the seed question bank (bench/quiz_bench.py); the
students of bench/journey.py, with their sessions and quizzes; and it prints
what the benchmarks need as JSON on its last line of output.
"""

import json
import secrets
import sys

import django


def main() -> None:
    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.urls import reverse

    from bench import journey, quiz_bench
    from bench.core import SEED_DOCUMENT, SEED_QUESTIONS, SEED_SLUG
    from lessons import selectors, services
    from lessons.models import Course
    from quizzes import services as quiz_services

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command(
        "import_document",
        str(SEED_DOCUMENT),
        slug=SEED_SLUG,
        publish=True,
        stdout=sys.stderr,
    )
    call_command(
        "import_questions", str(SEED_QUESTIONS), course=SEED_SLUG, stdout=sys.stderr
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
    # A timed lesson quiz of 20 questions, half answered: the attempt page the
    # student comes back to (a GET only reads, so every request is the same).
    # A second one, submitted and graded: its result page.
    quiz, done_quiz = quiz_bench.bench_quizzes_import(
        course=course,
        quizzes=[
            quiz_bench.bench_quiz_data(
                size=quiz_bench.QUIZ_SIZE,
                slug="bench-quiz",
                lesson=course.lessons.get(pk=lessons[-1].id).slug,
                time_limit_minutes=quiz_bench.QUIZ_TIME_LIMIT_MINUTES,
            ),
            quiz_bench.bench_quiz_data(
                size=quiz_bench.QUIZ_SIZE,
                slug="bench-quiz-done",
                lesson=course.lessons.get(pk=lessons[-2].id).slug,
            ),
        ],
    )
    attempt = quiz_bench.attempt_answered(quiz=quiz, user=student, every=2)
    submitted = quiz_bench.attempt_answered(quiz=done_quiz, user=student)
    quiz_services.attempt_submit(attempt=submitted)
    journey_info = journey.setup(course=course, lesson_id=lessons[-3].id)
    print(
        json.dumps(
            {
                "username": student.username,
                "password": password,
                "course_title": course.title,
                "syllabus_path": course.get_absolute_url(),
                "grades_path": reverse(
                    "quizzes:course-grades", kwargs={"course_slug": course.slug}
                ),
                "lesson_title": lesson.title,
                "lesson_path": lesson.url,
                "lesson_count": len(lessons),
                "grades_quizzes": course.quizzes.filter(is_published=True).count(),
                "attempt_path": attempt.get_absolute_url(),
                "quiz_path": quiz.get_absolute_url(),
                "result_path": reverse(
                    "quizzes:attempt-result", kwargs={"attempt_id": submitted.pk}
                ),
                "quiz_title": quiz.title,
                "quiz_questions": attempt.responses.count(),
                "quiz_types": sorted(
                    {r.snapshot["type"] for r in attempt.responses.all()}
                ),
                **journey_info,
            }
        )
    )


if __name__ == "__main__":
    main()
