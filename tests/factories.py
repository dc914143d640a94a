"""factory_boy factories for the test suite."""

import factory
from django.contrib.auth.models import User
from django.utils import timezone

from lessons.models import Course, Enrollment, Lesson, LessonProgress, Module
from lessons.rendering import count_words, render_markdown


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw-for-tests-1")


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
    body_html = factory.LazyAttribute(lambda o: render_markdown(o.body_markdown))
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
    """A published course with the given shape."""
    course = CourseFactory(**kwargs)
    for m in range(modules):
        module = ModuleFactory(course=course, position=m)
        for i in range(lessons_per_module):
            LessonFactory(module=module, course=course, position=i)
    return course
