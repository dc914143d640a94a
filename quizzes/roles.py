"""The permissions of the quizzes app's models that instructors hold; registered
into ``lessons.roles`` by ``QuizzesConfig.ready``.

Instructors write and publish questions and quizzes and give students extra time
or attempts; they read attempts (and the responses in them) but never edit them:
grading goes through its own pages and audit trail.
"""

INSTRUCTOR_PERMISSIONS = (
    "add_question",
    "change_question",
    "delete_question",
    "view_question",
    "add_answer",
    "change_answer",
    "delete_answer",
    "view_answer",
    "add_quiz",
    "change_quiz",
    "delete_quiz",
    "view_quiz",
    "add_quizquestion",
    "change_quizquestion",
    "delete_quizquestion",
    "view_quizquestion",
    "add_quizoverride",
    "change_quizoverride",
    "delete_quizoverride",
    "view_quizoverride",
    "add_accommodation",
    "change_accommodation",
    "delete_accommodation",
    "view_accommodation",
    "view_attempt",
    "view_response",
)
