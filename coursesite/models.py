"""The site's own rows: background jobs (coursesite/jobs.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """Long work started from a page and done by a background task: what it is,
    who started it, how far it got, and what came out (a summary, a file to
    download, or why it failed). Pages poll it (``jobs:progress``); a task that
    runs again after a worker restart resumes from what the row says is done."""

    class Kind(models.TextChoices):
        REGRADE = "regrade", _("Regrade")
        REGRADE_DRY_RUN = "regrade_dry_run", _("Regrade dry run")
        GRADEBOOK_CSV = "gradebook_csv", _("Gradebook export")
        RESPONSES_CSV = "responses_csv", _("Responses export")
        BANK_IMPORT = "bank_import", _("Question bank import")
        DOCUMENT_IMPORT = "document_import", _("Document import")
        STATISTICS = "statistics", _("Item statistics")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # None for the jobs the site starts itself (statistics recomputed after
    # grading): no one's, shown to whoever may see their course's page.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jobs",
        verbose_name=_("started by"),
        null=True,
        blank=True,
    )
    course = models.ForeignKey(
        "lessons.Course",
        on_delete=models.CASCADE,
        related_name="jobs",
        null=True,
        blank=True,
        verbose_name=_("course"),
    )
    # What to do (the task's input, JSON) and what it did so far (a summary; a
    # resumable task keeps its cursor there).
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    # A file written by the job, relative to MEDIA_ROOT, served only to its owner.
    result_file = models.CharField(_("result file"), max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Moves with every step: a running job whose row stops moving lost its worker.
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(
                fields=["owner", "course", "kind", "-created_at"],
                name="job_owner_course_kind",
            ),
            models.Index(fields=["status", "updated_at"], name="job_status_updated"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)
