from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("Courses and lessons")

    def ready(self):
        from lessons.roles import ensure_instructor_group

        # Every app's permissions exist only after its own post_migrate, so resync
        # after each (cheap and idempotent).
        post_migrate.connect(ensure_instructor_group, dispatch_uid="instructor-group")
