"""Extension points for apps built on top of quizzes (``teach``).

``quizzes`` never imports the apps that read its grades (dependencies point one
way: ``teach`` imports ``quizzes``). Those apps register callables here in their
``AppConfig.ready``:

``attempt_graded``   (attempt) -> None, called by every grading path (a submit,
                     a grade by hand or an override, a regrade) once the
                     attempt's score is saved, inside its transaction when there
                     is one (e.g. to keep the student's course total current, or
                     to mark the quiz's stored statistics stale after commit).
``quizzes_changed``  (course_ids) -> None, called when quizzes of these courses
                     were created, edited, published, unpublished or deleted
                     (their weights, grading methods or list changed).
"""

from collections.abc import Callable

attempt_graded: list[Callable] = []
quizzes_changed: list[Callable] = []
