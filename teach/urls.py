from django.urls import path

from teach import document_views, views

app_name = "teach"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("grading/", views.queue, name="queue"),
    path(
        "grading/responses/<int:response_id>/",
        views.response_grade,
        name="response-grade",
    ),
    path(
        "responses/<int:response_id>/override/",
        views.response_override,
        name="response-override",
    ),
    path(
        "responses/<int:response_id>/review/",
        views.response_request_review,
        name="response-request-review",
    ),
    path("attempts/<int:attempt_id>/", views.attempt_detail, name="attempt"),
    path("courses/<slug:course_slug>/", views.gradebook, name="gradebook"),
    path(
        "courses/<slug:course_slug>/gradebook.csv",
        views.gradebook_csv,
        name="gradebook-csv",
    ),
    path(
        "courses/<slug:course_slug>/responses.csv",
        views.responses_csv,
        name="responses-csv",
    ),
    path(
        "courses/<slug:course_slug>/students/<int:user_id>/",
        views.student_detail,
        name="student",
    ),
    path(
        "courses/<slug:course_slug>/quizzes/<slug:quiz_slug>/statistics/",
        views.quiz_statistics,
        name="statistics",
    ),
    path(
        "courses/<slug:course_slug>/quizzes/<slug:quiz_slug>/statistics/progress/",
        views.quiz_statistics_progress,
        name="statistics-progress",
    ),
    path(
        "courses/<slug:course_slug>/quizzes/<slug:quiz_slug>/statistics/refresh/",
        views.quiz_statistics_refresh,
        name="statistics-refresh",
    ),
    path(
        "courses/<slug:course_slug>/quizzes/<slug:quiz_slug>/checks/",
        views.quiz_checks,
        name="checks",
    ),
    path(
        "courses/<slug:course_slug>/quizzes/<slug:quiz_slug>/checks/dismiss/",
        views.quiz_check_dismiss,
        name="check-dismiss",
    ),
    path(
        "courses/<slug:course_slug>/quizzes/<slug:quiz_slug>/checks/restore/",
        views.quiz_check_restore,
        name="check-restore",
    ),
    path("courses/<slug:course_slug>/flagged/", views.flagged, name="flagged"),
    path("courses/<slug:course_slug>/regrade/", views.regrade, name="regrade"),
    path("import/", document_views.course_import, name="course-import"),
    path(
        "import/<slug:token>/",
        document_views.course_import_preview,
        name="course-import-preview",
    ),
    path(
        "courses/<slug:course_slug>/update/",
        document_views.course_update,
        name="course-update",
    ),
    path(
        "courses/<slug:course_slug>/update/<slug:token>/",
        document_views.course_update_preview,
        name="course-update-preview",
    ),
]
