from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from lessons import hooks, roles
        from quizzes import (
            admin_upload,
            integration,
            jobs,  # noqa: F401  (registers the bank import job)
        )
        from quizzes.roles import INSTRUCTOR_PERMISSIONS

        roles.register_instructor_permissions("quizzes", INSTRUCTOR_PERMISSIONS)

        hooks.lesson_panels.append(integration.lesson_panels)
        hooks.course_panels.append(integration.course_panels)
        hooks.completion_gates.append(integration.completion_gate)
        hooks.outline_badges.append(integration.outline_badges)
        hooks.dashboard_badges.append(integration.dashboard_badges)
        hooks.course_links.append(integration.course_links)
        hooks.course_exporters.append(integration.course_exporter)
        hooks.course_importers.append(integration.course_importer)
        hooks.lesson_source_changed.append(integration.lesson_source_changed)
        hooks.lesson_source_change_preview.append(
            integration.lesson_source_change_preview
        )
        hooks.content_unpublished.append(integration.content_unpublished)
        hooks.lesson_admin_actions.append(admin_upload.draft_questions_action)
