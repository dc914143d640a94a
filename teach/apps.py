from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeachConfig(AppConfig):
    """The staff area: grading, gradebook, exports, regrading, item statistics."""

    name = "teach"
    verbose_name = _("Teaching")

    def ready(self):
        from teach import jobs  # noqa: F401  (registers the staff area's jobs)
