"""The staff area's own rows: item statistics computed after grading and kept
(teach/stored_statistics.py), so the statistics page never computes them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuizStatistics(models.Model):
    """A quiz's item analysis for one choice of attempts (first, highest, last or
    all), as a background job last computed it: the figures as JSON, what they
    were computed from (attempts analysed, the latest grade among them) and
    when. ``stale`` once a grade changed since; ``job`` is the last job that
    (re)computes it, whose progress or failure the page shows."""

    class Attempts(models.TextChoices):
        FIRST = "first", _("First attempt of each student")
        HIGHEST = "highest", _("Highest-graded attempt of each student")
        LAST = "last", _("Last attempt of each student")
        ALL = "all", _("All graded attempts")

    quiz = models.ForeignKey(
        "quizzes.Quiz",
        on_delete=models.CASCADE,
        related_name="stored_statistics",
        verbose_name=_("quiz"),
    )
    attempts = models.CharField(
        _("attempts analysed"), max_length=16, choices=Attempts.choices
    )
    # None until first computed; then the page's figures (stored_statistics.py).
    result = models.JSONField(_("result"), null=True, blank=True)
    attempt_count = models.PositiveIntegerField(_("attempts analysed"), default=0)
    last_graded_at = models.DateTimeField(_("last grade"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    stale = models.BooleanField(_("stale"), default=True)
    job = models.ForeignKey(
        "coursesite.Job",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job"),
    )

    class Meta:
        verbose_name = _("stored quiz statistics")
        verbose_name_plural = _("stored quiz statistics")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "attempts"], name="quizstatistics_unique_quiz_attempts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} ({self.attempts})"
