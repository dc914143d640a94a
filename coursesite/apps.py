from django.apps import AppConfig


class CoursesiteConfig(AppConfig):
    name = "coursesite"
    verbose_name = "coursesite"

    def ready(self):
        from coursesite import auth  # noqa: F401  (connects the user-cache signals)
