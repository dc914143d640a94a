"""SQL queries per page for a small and a large course (the test suite asserts them;
this only prints them, next to the throughput they explain)."""

from bench.core import Context, Table, benchmark

SHAPES = (("3 lessons", 1, 3), ("300 lessons", 30, 10))  # label, modules, per module


def _make_course(*, slug: str, modules: int, lessons_per_module: int):
    from lessons.models import Course, Lesson, Module
    from lessons.rendering import count_words, render_markdown

    body = "A short lesson with *some* emphasis.\n\n- one point\n- another point"
    html, words = render_markdown(body), count_words(body)
    course = Course.objects.create(slug=slug, title=slug.title(), is_published=True)
    created = Module.objects.bulk_create(
        Module(course=course, slug=f"m{m}", title=f"Module {m}", position=m)
        for m in range(modules)
    )
    Lesson.objects.bulk_create(
        Lesson(
            course=course,
            module=module,
            slug=f"m{m}-l{i}",
            title=f"Lesson {m}.{i}",
            position=i,
            body_markdown=body,
            body_html=html,
            word_count=words,
        )
        for m, module in enumerate(created)
        for i in range(lessons_per_module)
    )
    return course


def _cpu_ms(ctx: Context, client, url: str) -> float:
    from bench.profiling import cpu_ms_per_call

    return cpu_ms_per_call(
        lambda: client.get(url), count=ctx.pick(30, 15), batches=ctx.pick(5, 3)
    )


def _count(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}")
    return len(queries)


@benchmark("queries", title="Queries per page, 3 vs 300 lessons", order=30)
def queries(ctx: Context) -> Table:
    dj = ctx.django()
    dj.fresh_database()
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.test import Client

    from lessons import selectors, services

    student = User.objects.create_user("bench-student")
    client = Client()
    client.force_login(student)
    counts: dict[str, dict[str, tuple[int, int]]] = {"lesson": {}, "syllabus": {}}
    cpu: dict[str, dict[str, float]] = {"lesson": {}, "syllabus": {}}
    for label, modules, per_module in SHAPES:
        course = _make_course(
            slug=f"c{modules * per_module}", modules=modules,
            lessons_per_module=per_module,
        )  # fmt: skip
        services.enrollment_create(user=student, course=course)
        ordered = list(course.lessons.order_by("module__position", "position"))
        for lesson in ordered[:2]:
            services.lesson_complete(user=student, lesson=lesson)
        outline = selectors.outline_lessons(selectors.course_outline(course=course))
        urls = {
            "lesson": outline[len(outline) // 2].url,
            "syllabus": course.get_absolute_url(),
        }
        client.get(urls["lesson"])  # the first visit starts the lesson (writes)
        for page, url in urls.items():
            cache.clear()  # cold: outline and cached session rebuilt
            cold = _count(client, url)
            counts[page][label] = (cold, _count(client, url))
            cpu[page][label] = _cpu_ms(ctx, client, url)

    small, large = (label for label, _, _ in SHAPES)
    table = Table(
        "Queries per page, logged-in student (in process, test client)",
        ["page", f"{small}: queries warm / cold", "CPU ms",
         f"{large}: queries warm / cold", "CPU ms", "queries grow?"],
    )  # fmt: skip
    for page, by_shape in counts.items():
        (small_cold, small_warm), (large_cold, large_warm) = (
            by_shape[small],
            by_shape[large],
        )
        table.add(
            page,
            f"{small_warm} / {small_cold}",
            f"{cpu[page][small]:.1f}",
            f"{large_warm} / {large_cold}",
            f"{cpu[page][large]:.1f}",
            "no" if large_warm <= small_warm else f"yes, +{large_warm - small_warm}",
        )
    table.notes.append(
        "warm = a repeat visit (what the throughput figures load); cold = right "
        "after the cache is cleared (outline and cached session rebuilt)"
    )
    table.notes.append(
        "CPU ms = this process's CPU time per warm request through the test client "
        "(best batch; no per-request DB connect, unlike gunicorn)"
    )
    table.data = {
        page: {
            label: {"cold": c, "warm": w, "cpu_ms": cpu[page][label]}
            for label, (c, w) in by_shape.items()
        }
        for page, by_shape in counts.items()
    }
    return table
