from django.urls import path

from lessons import views

app_name = "lessons"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("learning/", views.my_learning, name="my-learning"),
    path("courses/<slug:course_slug>/", views.course_detail, name="course-detail"),
    path("courses/<slug:course_slug>/enrol/", views.course_enrol, name="course-enrol"),
    path(
        "courses/<slug:course_slug>/lessons/<slug:lesson_slug>/",
        views.lesson_detail,
        name="lesson-detail",
    ),
    path(
        "courses/<slug:course_slug>/lessons/<slug:lesson_slug>/complete/",
        views.lesson_complete,
        name="lesson-complete",
    ),
]
