from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from coursesite import views

# The admin is the instructors' authoring screen: it says whose it is.
admin.site.site_header = _("coursesite administration")
admin.site.site_title = _("coursesite administration")
admin.site.index_title = _("Courses and question bank")

urlpatterns = [
    path("livez", views.livez, name="livez"),
    path("healthz", views.healthz, name="healthz"),
    path("jobs/<int:job_id>/progress", views.job_progress, name="job-progress"),
    path("jobs/<int:job_id>/download", views.job_download, name="job-download"),
    path("admin/", admin.site.urls),
    path("accounts/signup/", views.signup, name="signup"),
    path(
        "accounts/password_reset/",
        views.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("teach/", include("teach.urls")),
    path("", include("quizzes.urls")),
    path("", include("lessons.urls")),
]

# Imported images (lessons/media.py) in development; in production the proxy serves
# them (``static`` adds nothing when DEBUG is off). Only courses/: the uploads held
# under imports/ between a preview and its import are nobody else's.
urlpatterns += static(
    f"{settings.MEDIA_URL}courses/", document_root=settings.MEDIA_ROOT / "courses"
)
