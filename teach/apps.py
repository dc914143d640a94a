from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachConfig(AppConfig):
    """The staff area: grading, gradebook, exports, regrading, item statistics."""

    name = "teach"
    verbose_name = _("Teaching")

    def ready(self):
        from lessons import hooks as lesson_hooks
        from quizzes import hooks
        from teach import gradebook_totals, jobs, stored_statistics  # noqa: F401

        # After every grade: the student's course total, then (after commit) the
        # quiz's stored statistics. After a quiz change: every course total.
        hooks.attempt_graded.append(gradebook_totals.attempt_graded)
        hooks.attempt_graded.append(stored_statistics.attempt_graded)
        hooks.quizzes_changed.append(gradebook_totals.quizzes_changed)
        # A student enrolled again: the total of the attempts graded before.
        lesson_hooks.enrolled.append(gradebook_totals.enrolled)
