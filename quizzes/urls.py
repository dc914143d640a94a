from django.urls import path

from quizzes import views

app_name = "quizzes"

urlpatterns = [
    path(
        "courses/<slug:course_slug>/quizzes/<slug:quiz_slug>/",
        views.quiz_detail,
        name="quiz-detail",
    ),
    path(
        "courses/<slug:course_slug>/quizzes/<slug:quiz_slug>/start/",
        views.quiz_start,
        name="quiz-start",
    ),
    path(
        "courses/<slug:course_slug>/grades/",
        views.course_grades,
        name="course-grades",
    ),
    path("attempts/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/flag/", views.attempt_flag, name="attempt-flag"),
    path(
        "attempts/<int:attempt_id>/summary/",
        views.attempt_summary,
        name="attempt-summary",
    ),
    path(
        "attempts/<int:attempt_id>/submit/", views.attempt_submit, name="attempt-submit"
    ),
    path(
        "attempts/<int:attempt_id>/result/", views.attempt_result, name="attempt-result"
    ),
]
