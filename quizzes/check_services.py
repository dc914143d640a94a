"""Writes for the item-writing checks: an instructor sets a check aside for one
question, with a reason, or takes that back. Each is a ``CheckDismissal`` row
that stays (the audit trail of who set what aside, when and why)."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.item_checks import CHECKS
from quizzes.models import CheckDismissal, Question


class CheckDismissalError(ValueError):
    pass


@transaction.atomic
def check_dismiss(
    *, question: Question, check_name: str, reason: str, user, now=None
) -> CheckDismissal:
    """Set ``check_name`` aside for ``question``; the reason is required. Setting
    aside a check already set aside changes nothing and returns that row."""
    reason = (reason or "").strip()
    if not reason:
        raise CheckDismissalError("reason_required")
    if check_name not in CHECKS:
        raise CheckDismissalError("unknown_check")
    current = CheckDismissal.objects.filter(
        question=question, check_name=check_name, restored_at__isnull=True
    ).first()
    if current is not None:
        return current
    try:
        with transaction.atomic():
            return CheckDismissal.objects.create(
                question=question,
                check_name=check_name,
                reason=reason,
                question_version=question.version,
                dismissed_by=user,
                dismissed_at=now or timezone.now(),
            )
    except IntegrityError:  # another instructor dismissed it meanwhile
        return CheckDismissal.objects.get(
            question=question, check_name=check_name, restored_at__isnull=True
        )


@transaction.atomic
def check_restore(*, dismissal: CheckDismissal, user, now=None) -> CheckDismissal:
    """Show a dismissed check again; the dismissal row stays, marked restored."""
    if dismissal.restored_at is None:
        dismissal.restored_at = now or timezone.now()
        dismissal.restored_by = user
        dismissal.save(update_fields=["restored_at", "restored_by"])
    return dismissal
