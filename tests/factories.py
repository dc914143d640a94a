"""factory_boy factories for the test suite."""

from functools import lru_cache

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from lessons.models import Course, Enrollment, Lesson, LessonProgress, Module
from lessons.rendering import count_words, render_markdown

# Rendering builds a Markdown parser each time (a few ms); factories make many
# lessons with the same body, so render each distinct body once.
_render = lru_cache(maxsize=256)(render_markdown)


# Every factory user's password (browser tests type it into the login form).
PASSWORD = "pw-for-tests-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


class StaffFactory(UserFactory):
    is_staff = True


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Course {n}")
    slug = factory.Sequence(lambda n: f"course-{n}")
    is_published = True


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Module {n}")
    slug = factory.Sequence(lambda n: f"module-{n}")
    position = factory.Sequence(lambda n: n)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    course = factory.SelfAttribute("module.course")
    title = factory.Sequence(lambda n: f"Lesson {n}")
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    position = factory.Sequence(lambda n: n)
    body_markdown = "Some *text* about the lesson."
    body_html = factory.LazyAttribute(lambda o: _render(o.body_markdown))
    word_count = factory.LazyAttribute(lambda o: count_words(o.body_markdown))


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)


class LessonProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress

    user = factory.SubFactory(UserFactory)
    lesson = factory.SubFactory(LessonFactory)
    course = factory.SelfAttribute("lesson.course")
    started_at = factory.LazyFunction(timezone.now)


def make_course(*, modules: int = 1, lessons_per_module: int = 3, **kwargs) -> Course:
    """A published course with the given shape.

    Lessons are inserted in one statement per module, so that courses of hundreds
    of lessons (for query-count tests) stay cheap to build.
    """
    course = CourseFactory(**kwargs)
    for m in range(modules):
        module = ModuleFactory(course=course, position=m)
        Lesson.objects.bulk_create(
            LessonFactory.build(module=module, course=course, position=i)
            for i in range(lessons_per_module)
        )
    return course


# --------------------------------------------------------------------------
# Quizzes

from quizzes import moodle_options  # noqa: E402
from quizzes.models import (  # noqa: E402
    Accommodation,
    Answer,
    Question,
    Quiz,
    QuizOverride,
    QuizQuestion,
)
from quizzes.snapshots import answers_from_dict  # noqa: E402


class QuizFactory(factory.django.DjangoModelFactory):
    """A published quiz; pass ``lesson`` (and its course) for a lesson check."""

    class Meta:
        model = Quiz

    course = factory.SubFactory(CourseFactory)
    title = factory.Sequence(lambda n: f"Quiz {n}")
    slug = factory.Sequence(lambda n: f"quiz-{n}")
    is_published = True
    shuffle_options = False


class QuizOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuizOverride

    quiz = factory.SubFactory(QuizFactory)
    user = factory.SubFactory(UserFactory)


class AccommodationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Accommodation

    user = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    time_multiplier = 1


_question_keys = iter(range(10**9))


def make_question(*, course: Course, data: dict, lesson=None, **fields) -> Question:
    """A bank question (and its Answer rows) from a question dict
    (``docs/question-format.md``), as an import would store it."""
    question = Question.objects.create(
        course=course,
        lesson=lesson,
        key=data.get("key") or f"q-{next(_question_keys)}",
        type=data["type"],
        title=data.get("title", ""),
        text=data["text"],
        general_feedback=data.get("general_feedback", ""),
        default_mark=data.get("default_mark", 1.0),
        case_sensitive=data.get("case_sensitive", False),
        max_length=data.get("max_length"),
        response_template=data.get("response_template", ""),
        grader_info=data.get("grader_info", ""),
        **{**moodle_options.columns(moodle_options.stored(data)), **fields},
    )
    rows = answers_from_dict(data)
    for row in rows:
        row.question = question
    Answer.objects.bulk_create(rows)
    return question


def make_quiz(*, questions=(), course: Course | None = None, **fields) -> Quiz:
    """A published quiz whose slots hold ``questions`` (dicts or Question rows)."""
    quiz = QuizFactory(course=course or CourseFactory(), **fields)
    for position, question in enumerate(questions):
        if isinstance(question, dict):
            question = make_question(
                course=quiz.course, data=question, lesson=quiz.lesson
            )
        QuizQuestion.objects.create(quiz=quiz, question=question, position=position)
    return quiz
