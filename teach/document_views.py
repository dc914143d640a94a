"""Pages of the staff area that import a document: "New course from a document"
and a course's "Update from a new version".

Both go upload -> preview -> create/apply (or cancel). Between the preview and
the import the upload is held by ``lessons.document_import`` (default storage);
the user's session maps its token to its name, format, course and time, so a
token works only for the user who uploaded it, only on the course it was
uploaded for, and only for ``DOCUMENT_IMPORT_HOLD_SECONDS``: anything else is a
404. Nothing is written before "Create course" or "Apply".
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from lessons.document_import import (
    FORMATS,
    Adjustments,
    OutlineError,
    document_import_apply,
    document_preview,
    document_read,
    document_too_large,
    document_upload_discard,
    document_upload_read,
    document_upload_store,
    document_uploads_purge,
)
from lessons.importing import DocumentError
from teach import selectors
from teach.forms import DocumentUploadForm, OutlineTitleForm, SectionAdjustFormSet
from teach.views import teacher_required

SESSION_KEY = "document_imports"


# --- Holding uploads between the preview and the import --------------------------


def _hold(request, *, data: bytes, name: str, fmt: str, course=None) -> str:
    _purge_expired(request)
    document_uploads_purge(
        older_than=timezone.now()
        - timedelta(seconds=settings.DOCUMENT_IMPORT_HOLD_SECONDS)
    )
    token = document_upload_store(data=data, name=name)
    held = request.session.get(SESSION_KEY, {})
    held[token] = {
        "name": name,
        "format": fmt,
        "course": course.pk if course is not None else None,
        "user": request.user.pk,
        "created": time.time(),
    }
    request.session[SESSION_KEY] = held
    return token


def _expired(entry: dict) -> bool:
    return time.time() - entry["created"] > settings.DOCUMENT_IMPORT_HOLD_SECONDS


def _purge_expired(request) -> None:
    held = request.session.get(SESSION_KEY, {})
    for token in [token for token, entry in held.items() if _expired(entry)]:
        document_upload_discard(token=token)
        del held[token]
    request.session[SESSION_KEY] = held


def _held(request, token: str, *, course=None) -> tuple[dict, bytes]:
    """The held upload of this token, or 404 (unknown, another user's or
    another course's, expired, or gone)."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if (
        entry is None
        or entry["user"] != request.user.pk
        or entry["course"] != (course.pk if course is not None else None)
        or _expired(entry)
    ):
        raise Http404("No such upload")
    data = document_upload_read(token=token)
    if data is None:
        raise Http404("No such upload")
    return entry, data


def _nothing_imported(error) -> str:
    return _("Nothing was imported: %(error)s") % {"error": error}


def _release(request, token: str) -> None:
    document_upload_discard(token=token)
    held = request.session.get(SESSION_KEY, {})
    held.pop(token, None)
    request.session[SESSION_KEY] = held


# --- Upload ------------------------------------------------------------------------


def _upload(request, *, course=None):
    """The upload form; a readable document is held and its preview opened."""
    form = DocumentUploadForm(
        request.POST or None, request.FILES or None, formats=FORMATS
    )
    if request.method == "POST" and form.is_valid():
        data, name = form.document_data()
        fmt = form.cleaned_data["format"]
        try:
            document_read(data=data, name=name, fmt=fmt)
        except DocumentError as error:
            form.add_error(None, _nothing_imported(error))
        else:
            token = _hold(request, data=data, name=name, fmt=fmt, course=course)
            if course is None:
                return redirect("teach:course-import-preview", token=token)
            return redirect("teach:course-update-preview", course.slug, token)
    return render(
        request, "teach/document_upload.html", {"form": form, "course": course}
    )


# Django reads a request's whole body (a file upload into a temporary file) as
# soon as anything asks for request.POST, and the CSRF check does. So these two
# views are exempt from the middleware's check, refuse a body over the limit
# first, and only then run the same check (csrf_protect) and read the upload.
_BODY_MARGIN = 1_000_000  # the form's other fields and the multipart framing


def _oversized(request) -> str | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    return document_too_large(max(length - _BODY_MARGIN, 0))


def _guarded_upload(request, *, course=None):
    too_large = _oversized(request) if request.method == "POST" else None
    if too_large:
        return render(
            request,
            "teach/document_upload.html",
            {
                "form": DocumentUploadForm(formats=FORMATS),
                "course": course,
                "refused": too_large,
            },
            status=413,
        )
    return csrf_protect(_upload)(request, course=course)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@teacher_required
def course_import(request):
    """New course from a document: upload."""
    return _guarded_upload(request)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@teacher_required
def course_update(request, course_slug):
    """Update a course from a new version of its document: upload."""
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    return _guarded_upload(request, course=course)


# --- New course: preview, adjust, create ------------------------------------------


def _adjustments(title_form, formset, uploaded) -> Adjustments:
    """What the posted forms change in the outline as uploaded."""
    levels, merges, renames = {}, set(), {}
    for index, (form, section) in enumerate(
        zip(formset, uploaded.sections, strict=True)
    ):
        data = form.cleaned_data
        if data["level"] != section.level:
            levels[index] = data["level"]
        if data["title"].strip() != section.title:
            renames[index] = data["title"]
        if data["merge"]:
            merges.add(index)
    title = title_form.cleaned_data["title"].strip()
    return Adjustments(
        title=title if title != uploaded.title else "",
        levels=levels,
        merges=frozenset(merges),
        renames=renames,
    )


@require_http_methods(["GET", "POST"])
@teacher_required
def course_import_preview(request, token):
    """The outline the document would make; adjust it, then create the course."""
    entry, data = _held(request, token)
    name, fmt = entry["name"], entry["format"]
    try:
        uploaded = document_preview(data=data, name=name, fmt=fmt)
    except DocumentError as error:  # the parser changed since the upload
        _release(request, token)
        messages.error(request, _nothing_imported(error))
        return redirect("teach:course-import")
    sections = uploaded.sections
    initial_title = {"title": uploaded.title}
    initial_sections = [
        {"level": section.level, "title": section.title, "merge": False}
        for section in sections
    ]
    action = request.POST.get("action", "preview")
    if request.method == "POST" and action == "cancel":
        _release(request, token)
        messages.info(request, _("Import cancelled; nothing was written."))
        return redirect("teach:dashboard")
    preview, problem = uploaded, ""
    title_form = OutlineTitleForm(request.POST or None, initial=initial_title)
    formset = SectionAdjustFormSet(
        request.POST or None, initial=initial_sections, prefix="section"
    )
    status = 200
    if request.method == "POST":
        if not formset.management_form.is_valid() or formset.total_form_count() != len(
            sections
        ):
            return HttpResponseBadRequest(_("The outline does not match the document."))
        if title_form.is_valid() and formset.is_valid():
            adjustments = _adjustments(title_form, formset, uploaded)
            try:
                preview = document_preview(
                    data=data, name=name, fmt=fmt, adjustments=adjustments
                )
            except OutlineError as error:
                problem, status = str(error), 400
            else:
                if action == "create":
                    try:
                        course, report = document_import_apply(
                            data=data,
                            name=name,
                            fmt=fmt,
                            adjustments=adjustments,
                            user=request.user,
                        )
                    except ValueError as error:  # e.g. a course export's bad part
                        problem, status = _nothing_imported(error), 400
                    else:
                        _release(request, token)
                        messages.success(
                            request,
                            _(
                                "Course “%(title)s” created with %(count)d lessons. "
                                "It is not published yet: students will see it once "
                                "you publish it."
                            )
                            % {"title": course.title, "count": len(report.added)},
                        )
                        return redirect("teach:gradebook", course.slug)
        else:
            status = 400
    return render(
        request,
        "teach/document_preview.html",
        {
            "preview": preview,
            "name": name,
            "title_form": title_form,
            "formset": formset,
            "rows": list(zip(sections, formset, strict=True)),
            "problem": problem,
            "action_url": reverse("teach:course-import-preview", args=[token]),
        },
        status=status,
    )


# --- Existing course: diff, apply --------------------------------------------------


@require_http_methods(["GET", "POST"])
@teacher_required
def course_update_preview(request, course_slug, token):
    """What the new version would change; apply it or cancel."""
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    entry, data = _held(request, token, course=course)
    name, fmt = entry["name"], entry["format"]
    action = request.POST.get("action", "")
    # The adjustments kept from the course's import apply unless dropped.
    keep = request.POST.get("adjustments", request.GET.get("adjustments")) != "drop"
    if request.method == "POST" and action == "cancel":
        _release(request, token)
        messages.info(request, _("Update cancelled; nothing was written."))
        return redirect("teach:gradebook", course.slug)
    if request.method == "POST" and action != "apply":
        return HttpResponseBadRequest(_("Apply or cancel the update."))
    try:
        if request.method == "POST":
            course, report = document_import_apply(
                data=data,
                name=name,
                fmt=fmt,
                user=request.user,
                course=course,
                keep_adjustments=keep,
            )
            _release(request, token)
            messages.success(
                request,
                _(
                    "Course updated: %(added)d lessons added, %(changed)d changed, "
                    "%(removed)d removed."
                )
                % {
                    "added": len(report.added),
                    "changed": len(report.changed),
                    "removed": len(report.removed),
                },
            )
            return redirect("teach:gradebook", course.slug)
        preview = document_preview(
            data=data, name=name, fmt=fmt, course=course, keep_adjustments=keep
        )
    except (DocumentError, ValueError) as error:
        _release(request, token)
        messages.error(request, _nothing_imported(error))
        return redirect("teach:course-update", course.slug)
    return render(
        request,
        "teach/document_update.html",
        {
            "course": course,
            "preview": preview,
            "changes": preview.changes,
            "kept": preview.kept,
            "keep": keep,
            "has_kept": bool(course.import_adjustments),
            "name": name,
            "action_url": reverse(
                "teach:course-update-preview", args=[course.slug, token]
            ),
        },
    )
