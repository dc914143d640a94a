"""Questions, quizzes, attempts and responses.

A :class:`Question` lives in its course's question bank and may point at the lesson
it tests. A :class:`Quiz` belongs to a lesson (a lesson check), a module, or the
whole course (a final exam) and either lists its questions (:class:`QuizQuestion`)
or draws them from the bank. An :class:`Attempt` freezes what it asked: each
:class:`Response` stores a snapshot of its question (text, options, weights, max
mark) at the moment the attempt started, so editing a question later never changes
a past score unless an instructor regrades.

The question payload (options, accepted answers, pairs, items) is stored as
:class:`Answer` rows so instructors can edit them inline in the admin; the plain
dict that grading works on (``docs/question-format.md``) is built by
``quizzes.snapshots``.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lessons.models import Course, CourseContentQuerySet, Lesson, Module


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple response")
    TRUEFALSE = "truefalse", _("True/false")
    SHORTANSWER = "shortanswer", _("Short answer")
    NUMERICAL = "numerical", _("Numerical")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")
    ESSAY = "essay", _("Essay")
    DESCRIPTION = "description", _("Description")
    CLOZE = "cloze", _("Cloze (embedded answers)")


class Question(models.Model):
    """A question in a course's question bank."""

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("course"),
    )
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("lesson tested"),
        help_text=_("The lesson (section) this question tests; linked from feedback."),
    )
    key = models.SlugField(
        _("key"),
        max_length=100,
        help_text=_("Stable identifier within the course, used by imports."),
    )
    type = models.CharField(_("type"), max_length=20, choices=QuestionType.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("question text (Markdown)"))
    general_feedback = models.TextField(_("general feedback"), blank=True)
    default_mark = models.FloatField(_("default mark"), default=1.0)
    case_sensitive = models.BooleanField(_("case sensitive"), default=False)
    max_length = models.PositiveIntegerField(
        _("maximum answer length"),
        null=True,
        blank=True,
        help_text=_("Essays only: the longest answer accepted, in characters."),
    )
    response_template = models.TextField(_("response template"), blank=True)
    grader_info = models.TextField(
        _("information for graders"),
        blank=True,
        help_text=_(
            "Essays only: what the grader sees beside the answer (marking notes, "
            "a rubric). Never shown to students. Moodle's grader information."
        ),
    )
    is_published = models.BooleanField(
        _("published"),
        default=True,
        help_text=_("Draft questions never reach students."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    category = models.CharField(
        _("category"),
        max_length=255,
        blank=True,
        help_text=_("Question-bank category path, e.g. from GIFT's $CATEGORY."),
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    # Moodle's question options (quizzes.moodle_options): kept so that a bank
    # travels to Moodle and back without loss.
    idnumber = models.CharField(
        _("ID number"),
        max_length=100,
        blank=True,
        help_text=_("Moodle's ID number of the question, if it is not the key."),
    )
    penalty = models.FloatField(
        _("penalty"),
        default=0.3333333,
        help_text=_(
            "Moodle's penalty for each wrong try (0 to 1). Kept for Moodle only: "
            "coursesite gives one try."
        ),
    )
    hints = models.JSONField(
        _("hints"),
        default=list,
        blank=True,
        help_text=_(
            'Moodle\'s hints: [{"text": ..., "show_num_correct": false, '
            '"clear_wrong": false}]. Kept for Moodle only.'
        ),
    )
    correct_feedback = models.TextField(_("feedback when correct"), blank=True)
    partially_correct_feedback = models.TextField(
        _("feedback when partly correct"), blank=True
    )
    incorrect_feedback = models.TextField(_("feedback when incorrect"), blank=True)
    show_num_correct = models.BooleanField(
        _("show the number of right parts"),
        default=False,
        help_text=_("Moodle's option of the combined feedback. Kept for Moodle only."),
    )
    shuffle_answers = models.BooleanField(
        _("shuffle the options"),
        default=True,
        help_text=_(
            "Off: the options always show in their order, even in a quiz that "
            "shuffles options."
        ),
    )
    answer_numbering = models.CharField(
        _("option numbering"),
        max_length=4,
        choices=[
            ("abc", "a., b., c."),
            ("ABCD", "A., B., C."),
            ("123", "1., 2., 3."),
            ("iii", "i., ii., iii."),
            ("IIII", "I., II., III."),
            ("none", _("No numbering")),
        ],
        default="abc",
    )
    # An essay's Moodle response options (quizzes.moodle_options): one JSON
    # column, only those that differ from their default.
    essay_options = models.JSONField(
        _("essay response options"),
        default=dict,
        blank=True,
        help_text=_(
            "Essays only, Moodle's response options, each optional: "
            '{"response_format": "plain", "response_field_lines": 10, '
            '"min_word_limit": 50, "max_word_limit": 500, "response_required": '
            "false}. Formats: editor, editorfilepicker and plain show a text "
            "box, monospaced one in a fixed-width font. Word limits are shown "
            "and counted, not enforced: an answer outside them is saved and "
            "called incomplete. Not required: the word limits are not checked."
        ),
    )
    needs_review = models.BooleanField(
        _("review: source changed"),
        default=False,
        db_index=True,
        help_text=_("Set when the lesson text this question tests changed."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["course_id", "lesson__position", "key"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(
                fields=["course", "idnumber"], name="question_idnumber_per_course"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "key"], name="question_unique_key_per_course"
            ),
            models.CheckConstraint(
                condition=Q(default_mark__gte=0), name="question_mark_not_negative"
            ),
        ]

    def __str__(self):
        return self.title or self.text[:60]


class Answer(models.Model):
    """One option, accepted answer, pair or item of a question.

    Which fields mean what depends on the question type:
    choice and true/false: ``text``, ``fraction``, ``feedback``;
    short answer: ``text`` is an accepted answer (``*`` wildcard);
    numerical: ``number`` ± ``tolerance``, or the range ``number``..``number_max``;
    matching: ``text`` is the prompt, ``match_text`` its answer (a row with an
    empty prompt is a distractor); ordering: ``text`` in the correct ``position``.
    """

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("question"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("text"), blank=True)
    match_text = models.CharField(_("matching answer"), max_length=500, blank=True)
    fraction = models.FloatField(
        _("grade"),
        default=0.0,
        help_text=_("Share of the question's mark: 1 = 100%, -0.5 = -50%."),
    )
    feedback = models.TextField(_("feedback"), blank=True)
    number = models.FloatField(_("number"), null=True, blank=True)
    tolerance = models.FloatField(_("tolerance"), null=True, blank=True)
    number_max = models.FloatField(_("range maximum"), null=True, blank=True)

    class Meta:
        ordering = ["question_id", "position", "id"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(fraction__gte=-1) & Q(fraction__lte=1),
                name="answer_fraction_between_minus_one_and_one",
            ),
        ]

    def __str__(self):
        return self.text[:60] or self.match_text[:60]


class QuestionVersion(models.Model):
    """A question as it stood at one version (the plain dict), kept for history."""

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("question"),
    )
    version = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("question data"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["question_id", "-version"]
        verbose_name = _("question version")
        verbose_name_plural = _("question versions")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "version"], name="questionversion_unique"
            ),
        ]

    def __str__(self):
        return f"{self.question} v{self.version}"


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest grade")
    AVERAGE = "average", _("Average grade")
    FIRST = "first", _("First attempt")
    LAST = "last", _("Last attempt")


def default_review_options() -> dict:
    """Moodle's defaults: nothing during the attempt; everything right after it."""
    everything = [
        "responses",
        "correctness",
        "marks",
        "specific_feedback",
        "general_feedback",
        "right_answers",
        "overall_feedback",
    ]
    return {
        "during": [],
        "immediately": everything,
        "open": everything,
        "closed": everything,
    }


class QuizQuerySet(CourseContentQuerySet):
    pass


class Quiz(models.Model):
    """A quiz on a lesson, a module, or a whole course (final exam)."""

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="quizzes",
        verbose_name=_("course"),
    )
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quizzes",
        verbose_name=_("lesson"),
    )
    module = models.ForeignKey(
        Module,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quizzes",
        verbose_name=_("module"),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    open_at = models.DateTimeField(_("opens"), null=True, blank=True)
    close_at = models.DateTimeField(_("closes"), null=True, blank=True)
    time_limit = models.DurationField(_("time limit"), null=True, blank=True)
    grace_period = models.DurationField(
        _("grace period"),
        default=timedelta(seconds=60),
        help_text=_("Answers still accepted this long after the time limit."),
    )
    attempts_allowed = models.PositiveIntegerField(
        _("attempts allowed"), default=0, help_text=_("0 means unlimited.")
    )
    grading_method = models.CharField(
        _("grading method"),
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
    )
    pass_mark = models.FloatField(
        _("pass mark"), default=0.5, help_text=_("Share of the maximum: 0.7 = 70%.")
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=False)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    draw_count = models.PositiveIntegerField(
        _("questions drawn"),
        null=True,
        blank=True,
        help_text=_("Draw this many questions at random from the pool; empty = all."),
    )
    draw_from_bank = models.BooleanField(
        _("draw from the whole question bank"),
        default=False,
        help_text=_("Pool = every published question of the course."),
    )
    questions_per_page = models.PositiveIntegerField(
        _("questions per page"), default=0, help_text=_("0 puts all on one page.")
    )
    attempt_delay = models.DurationField(
        _("delay between attempts"), null=True, blank=True
    )
    review_options = models.JSONField(
        _("review options"), default=default_review_options
    )
    overall_feedback = models.JSONField(
        _("overall feedback"),
        default=list,
        blank=True,
        help_text=_('Bands: [{"min": 0.7, "text": "Well done"}, ...], highest first.'),
    )
    weight = models.FloatField(
        _("weight in the course total"), default=1.0, help_text=_("Gradebook weight.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = QuizQuerySet.as_manager()

    class Meta:
        ordering = ["course_id", "id"]
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "slug"], name="quiz_unique_slug_per_course"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0) & Q(pass_mark__lte=1),
                name="quiz_pass_mark_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=Q(open_at__isnull=True)
                | Q(close_at__isnull=True)
                | Q(close_at__gt=models.F("open_at")),
                name="quiz_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "quizzes:quiz-detail",
            kwargs={"course_slug": self.course.slug, "quiz_slug": self.slug},
        )


class QuizQuestion(models.Model):
    """A question placed in a quiz (its pool, when the quiz draws at random)."""

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="slots", verbose_name=_("quiz")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="slots",
        verbose_name=_("question"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    mark = models.FloatField(
        _("mark"), null=True, blank=True, help_text=_("Empty = the question's default.")
    )

    class Meta:
        ordering = ["quiz_id", "position", "id"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "question"], name="quizquestion_unique_question"
            ),
        ]

    def __str__(self):
        return f"{self.quiz} · {self.question}"


class QuizOverride(models.Model):
    """Different settings for one student on one quiz (extra time, attempts, dates)."""

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("quiz")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_overrides",
        verbose_name=_("student"),
    )
    open_at = models.DateTimeField(_("opens"), null=True, blank=True)
    close_at = models.DateTimeField(_("closes"), null=True, blank=True)
    time_limit = models.DurationField(_("time limit"), null=True, blank=True)
    attempts_allowed = models.PositiveIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("0 means unlimited.")
    )

    class Meta:
        verbose_name = _("quiz override")
        verbose_name_plural = _("quiz overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user"], name="quizoverride_unique_user"
            ),
        ]

    def __str__(self):
        return f"{self.quiz} · {self.user}"


class Accommodation(models.Model):
    """A student's standing accommodation in one course: more time on every timed
    quiz of that course. Each course's instructors set their own; a row in one
    course changes nothing in another."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="accommodations",
        verbose_name=_("student"),
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="accommodations",
        verbose_name=_("course"),
    )
    time_multiplier = models.DecimalField(
        _("time multiplier"),
        max_digits=4,
        decimal_places=2,
        default=1,
        help_text=_("1.5 gives 50% more time on every timed quiz of the course."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="accommodation_unique_user_course"
            ),
            models.CheckConstraint(
                condition=Q(time_multiplier__gte=1) & Q(time_multiplier__lte=10),
                name="accommodation_multiplier_between_1_and_10",
            ),
        ]

    def __str__(self):
        return f"{self.user} × {self.time_multiplier} ({self.course})"


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    NEEDS_GRADING = "needs_grading", _("Needs grading")
    GRADED = "graded", _("Graded")


class Attempt(models.Model):
    """One go at a quiz by one student."""

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("student"),
    )
    number = models.PositiveIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"),
        max_length=20,
        choices=AttemptState.choices,
        default=AttemptState.IN_PROGRESS,
    )
    is_preview = models.BooleanField(
        _("preview"), default=False, help_text=_("Staff previews stay out of grades.")
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    auto_submitted = models.BooleanField(_("submitted automatically"), default=False)
    score = models.FloatField(_("score"), null=True, blank=True)
    max_score = models.FloatField(_("maximum score"), default=0)
    fraction = models.FloatField(_("grade (0..1)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["quiz_id", "user_id", "number"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="attempt_unique_number"
            ),
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=Q(state="in_progress"),
                name="attempt_one_in_progress",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "deadline"], name="attempt_state_deadline"),
            models.Index(fields=["user", "quiz", "state"], name="attempt_user_quiz"),
        ]

    def __str__(self):
        return f"{self.quiz} · {self.user} · #{self.number}"

    def get_absolute_url(self):
        return reverse("quizzes:attempt", kwargs={"attempt_id": self.pk})


class Response(models.Model):
    """A question as asked in one attempt (frozen snapshot) and the answer given."""

    attempt = models.ForeignKey(
        Attempt,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("attempt"),
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.SET_NULL,
        null=True,
        related_name="responses",
        verbose_name=_("question"),
    )
    question_version = models.PositiveIntegerField(_("question version"), default=1)
    position = models.PositiveIntegerField(_("position"))
    snapshot = models.JSONField(_("question as asked"))
    max_mark = models.FloatField(_("maximum mark"))
    answer = models.JSONField(_("answer"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # Bumped on every write of the answer. The attempt page posts back the number
    # it showed, so a save from an older page (another tab) is refused instead of
    # overwriting a newer answer (Moodle's "sequencecheck").
    sequence = models.PositiveIntegerField(
        _("answer sequence"), default=0, editable=False
    )
    fraction = models.FloatField(_("fraction"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    feedback = models.JSONField(_("feedback"), default=list, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    needs_manual = models.BooleanField(_("needs manual grading"), default=False)
    review_requested = models.BooleanField(
        _("review requested"),
        default=False,
        help_text=_("An instructor asked to check this answer by hand."),
    )
    # The student marked the question to come back to it (the attempt page's
    # navigation panel and summary show it); no bearing on the grade.
    flagged = models.BooleanField(_("flagged by the student"), default=False)
    grader_comment = models.TextField(_("grader's comment"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("graded by"),
    )
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)

    class Meta:
        ordering = ["attempt_id", "position"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "position"], name="response_unique_position"
            ),
        ]
        indexes = [
            models.Index(fields=["needs_manual"], name="response_needs_manual"),
            # The grading queue: the few responses that wait for a human.
            models.Index(
                fields=["attempt"],
                condition=Q(needs_manual=True) | Q(review_requested=True),
                name="response_waiting_for_human",
            ),
        ]

    def __str__(self):
        return f"{self.attempt} · Q{self.position + 1}"


class GradeChange(models.Model):
    """Audit trail: every change of a grade by a person or a regrade."""

    class Kind(models.TextChoices):
        MANUAL = "manual", _("Manual grade")
        OVERRIDE = "override", _("Override")
        REGRADE = "regrade", _("Regrade")

    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        related_name="grade_changes",
        verbose_name=_("response"),
    )
    attempt = models.ForeignKey(
        Attempt,
        on_delete=models.CASCADE,
        related_name="grade_changes",
        verbose_name=_("attempt"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed"))
    old_score = models.FloatField(_("old score"), null=True, blank=True)
    new_score = models.FloatField(_("new score"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("grade change")
        verbose_name_plural = _("grade changes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="override") | ~Q(reason=""),
                name="gradechange_override_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.response}: {self.old_score} → {self.new_score}"


class CheckDismissal(models.Model):
    """Audit trail: an instructor set one item-writing check aside for one question
    (``quizzes.item_checks``), with the reason. Rows are never deleted: taking the
    dismissal back fills ``restored_at``, and the check shows again."""

    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="check_dismissals",
        verbose_name=_("question"),
    )
    check_name = models.CharField(_("check"), max_length=50)
    reason = models.TextField(_("reason"))
    question_version = models.PositiveIntegerField(_("question version"))
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dismissed by"),
    )
    dismissed_at = models.DateTimeField(_("dismissed"))
    restored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("restored by"),
    )
    restored_at = models.DateTimeField(_("restored"), null=True, blank=True)

    class Meta:
        ordering = ["-dismissed_at", "-id"]
        verbose_name = _("dismissed question check")
        verbose_name_plural = _("dismissed question checks")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="checkdismissal_has_reason"
            ),
            models.UniqueConstraint(
                fields=["question", "check_name"],
                condition=Q(restored_at__isnull=True),
                name="checkdismissal_one_active",
            ),
        ]

    def __str__(self):
        return f"{self.question} · {self.check_name}"
