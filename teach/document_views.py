"""Pages of the staff area that import a document: "New course from a document"
and a course's "Update from a new version".

Both go upload -> preview -> create/apply (or cancel). Between the preview and
the import the upload is held by ``lessons.document_import`` (default storage);
the user's session maps its token to its name, format, course and time, so a
token works only for the user who uploaded it, only on the course it was
uploaded for, and only for ``DOCUMENT_IMPORT_HOLD_SECONDS``: anything else is a
404. Nothing is written before "Create course" or "Apply".

A document of more than ``IMPORT_DIRECT_MAX_BYTES`` is read by background jobs
(``teach/jobs.py``) instead: reading it (decoding, parsing, checking its Markdown
and images) is the long work, and every step of the flow does it again, so each
step runs as a job: the preview (again after each "Update the preview"), and the
import ("Create the course", "Apply the update"). The held upload's session entry
names the current job; its page shows the job's progress bar, then the preview
(kept on the job's row as plain data), the new course, or the job's error.
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

from coursesite import jobs
from coursesite.models import Job
from lessons.document_import import (
    FORMATS,
    Adjustments,
    OutlineError,
    adjustments_as_data,
    adjustments_from_data,
    document_import_apply,
    document_preview,
    document_read,
    document_too_large,
    document_upload_discard,
    document_upload_read,
    document_upload_store,
    document_uploads_purge,
    preview_from_data,
)
from lessons.importing import DocumentError
from teach import selectors
from teach.forms import DocumentUploadForm, OutlineTitleForm, SectionAdjustFormSet
from teach.jobs import nothing_imported
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


def _held_entry(request, token: str, *, course=None) -> dict:
    """The session's entry of this token, or 404 (unknown, another user's or
    another course's, expired)."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if (
        entry is None
        or entry["user"] != request.user.pk
        or entry["course"] != (course.pk if course is not None else None)
        or _expired(entry)
    ):
        raise Http404("No such upload")
    return entry


def _held(request, token: str, *, course=None) -> tuple[dict, bytes]:
    """The held upload of this token, or 404 (as ``_held_entry``, or gone)."""
    entry = _held_entry(request, token, course=course)
    data = document_upload_read(token=token)
    if data is None:
        raise Http404("No such upload")
    return entry, data


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
        if len(data) > settings.IMPORT_DIRECT_MAX_BYTES:
            token = _hold(request, data=data, name=name, fmt=fmt, course=course)
            _start_job(request, token, action="preview", course=course)
            return _to_preview(token, course)
        try:
            document_read(data=data, name=name, fmt=fmt)
        except DocumentError as error:
            form.add_error(None, nothing_imported(error))
        else:
            token = _hold(request, data=data, name=name, fmt=fmt, course=course)
            return _to_preview(token, course)
    return render(
        request, "teach/document_upload.html", {"form": form, "course": course}
    )


def _to_preview(token: str, course=None):
    if course is None:
        return redirect("teach:course-import-preview", token=token)
    return redirect("teach:course-update-preview", course.slug, token)


# --- Large documents: each step a background job ---------------------------------


def _start_job(
    request,
    token: str,
    *,
    action: str,
    course=None,
    adjustments: Adjustments | None = None,
    keep: bool = True,
) -> Job:
    """Hand a step of a held upload to a job; its entry names the job from now."""
    held = request.session.get(SESSION_KEY, {})
    entry = held[token]
    job = jobs.job_start(
        kind=Job.Kind.DOCUMENT_IMPORT,
        owner=request.user,
        course=course,
        params={
            "token": token,
            "name": entry["name"],
            "format": entry["format"],
            "action": action,
            "adjustments": adjustments_as_data(adjustments or Adjustments()),
            "keep": keep,
        },
    )
    entry["job"] = job.pk
    request.session[SESSION_KEY] = held
    return job


def _entry_job(request, entry: dict, token: str) -> Job:
    job = jobs.job_get_for_owner(job_id=entry["job"], user=request.user)
    if job.params.get("token") != token:
        raise Http404("No such upload")
    return job


def _job_page(request, job: Job, *, course=None, action_url: str):
    """A step under way: its progress bar (static/js/jobs.js reloads when done)."""
    return render(
        request,
        "teach/document_job.html",
        {
            "course": course,
            "job": job,
            "jobs": [(job, "")],
            "name": job.params["name"],
            "action_url": action_url,
        },
    )


def _job_ended(request, job: Job, token: str, *, course=None):
    """A failed job's error (the upload is let go), or the imported course; None
    while the job runs or once it has kept a preview."""
    if job.status == Job.Status.FAILED:
        _release(request, token)
        messages.error(request, job.error)
        if course is None:
            return redirect("teach:course-import")
        return redirect("teach:course-update", course.slug)
    if job.status == Job.Status.DONE and job.result.get("applied"):
        _release(request, token)
        messages.success(request, _imported_message(job.result, course))
        return redirect("teach:gradebook", job.result["course"])
    return None


def _imported_message(result: dict, course) -> str:
    if course is None:
        return _(
            "Course “%(title)s” created with %(count)d lessons. It is not published "
            "yet: students will see it once you publish it."
        ) % {"title": result["title"], "count": result["added"]}
    return _(
        "Course updated: %(added)d lessons added, %(changed)d changed, "
        "%(removed)d removed."
    ) % {
        "added": result["added"],
        "changed": result["changed"],
        "removed": result["removed"],
    }


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


def _outline_forms(request, initial_title: dict, initial_sections: list, count: int):
    """The title form and the sections' formset of an outline page, bound on a
    POST; ``tampered`` when the posted formset does not match the ``count``
    sections of the document (a 400: nothing is read from it)."""
    title_form = OutlineTitleForm(request.POST or None, initial=initial_title)
    formset = SectionAdjustFormSet(
        request.POST or None, initial=initial_sections, prefix="section"
    )
    tampered = request.method == "POST" and (
        not formset.management_form.is_valid() or formset.total_form_count() != count
    )
    return title_form, formset, tampered


def _adjustments(title_form, formset, sections, source_title) -> Adjustments:
    """What the posted forms change in the outline as uploaded."""
    levels, merges, renames = {}, set(), {}
    for index, (form, section) in enumerate(zip(formset, sections, strict=True)):
        data = form.cleaned_data
        if data["level"] != section.level:
            levels[index] = data["level"]
        if data["title"].strip() != section.title:
            renames[index] = data["title"]
        if data["merge"]:
            merges.add(index)
    title = title_form.cleaned_data["title"].strip()
    return Adjustments(
        title=title if title != source_title else "",
        levels=levels,
        merges=frozenset(merges),
        renames=renames,
    )


@require_http_methods(["GET", "POST"])
@teacher_required
def course_import_preview(request, token):
    """The outline the document would make; adjust it, then create the course."""
    if _held_entry(request, token).get("job"):
        return _import_preview_by_job(request, token)
    entry, data = _held(request, token)
    name, fmt = entry["name"], entry["format"]
    try:
        uploaded = document_preview(data=data, name=name, fmt=fmt)
    except DocumentError as error:  # the parser changed since the upload
        _release(request, token)
        messages.error(request, nothing_imported(error))
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
    title_form, formset, tampered = _outline_forms(
        request, initial_title, initial_sections, len(sections)
    )
    if tampered:
        return HttpResponseBadRequest(_("The outline does not match the document."))
    status = 200
    if request.method == "POST":
        if title_form.is_valid() and formset.is_valid():
            adjustments = _adjustments(
                title_form, formset, uploaded.sections, uploaded.title
            )
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
                        problem, status = nothing_imported(error), 400
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


def _import_preview_by_job(request, token):
    """course_import_preview for a large document: each step a job."""
    entry = _held_entry(request, token)
    job = _entry_job(request, entry, token)
    action = request.POST.get("action", "preview")
    action_url = reverse("teach:course-import-preview", args=[token])
    if request.method == "POST" and action == "cancel":
        _release(request, token)
        messages.info(request, _("Import cancelled; nothing was written."))
        return redirect("teach:dashboard")
    ended = _job_ended(request, job, token)
    if ended is not None:
        return ended
    if not job.finished:
        return _job_page(request, job, action_url=action_url)
    preview = preview_from_data(job.result["preview"])
    sections = preview.sections
    shown = adjustments_from_data(job.params.get("adjustments"))
    initial_title = {"title": shown.title or preview.source_title}
    initial_sections = [
        {
            "level": shown.levels.get(index, section.level),
            "title": shown.renames.get(index, section.title),
            "merge": index in shown.merges,
        }
        for index, section in enumerate(sections)
    ]
    title_form, formset, tampered = _outline_forms(
        request, initial_title, initial_sections, len(sections)
    )
    if tampered:
        return HttpResponseBadRequest(_("The outline does not match the document."))
    status = 200
    if request.method == "POST":
        if title_form.is_valid() and formset.is_valid():
            adjustments = _adjustments(
                title_form, formset, sections, preview.source_title
            )
            _start_job(
                request,
                token,
                action="apply" if action == "create" else "preview",
                adjustments=adjustments,
            )
            return redirect(action_url)
        status = 400
    return render(
        request,
        "teach/document_preview.html",
        {
            "preview": preview,
            "name": job.params["name"],
            "title_form": title_form,
            "formset": formset,
            "rows": list(zip(sections, formset, strict=True)),
            "problem": job.result.get("problem", ""),
            "action_url": action_url,
        },
        status=status,
    )


# --- Existing course: diff, apply --------------------------------------------------


@require_http_methods(["GET", "POST"])
@teacher_required
def course_update_preview(request, course_slug, token):
    """What the new version would change; apply it or cancel."""
    course = selectors.course_get_for_teacher(slug=course_slug, user=request.user)
    if _held_entry(request, token, course=course).get("job"):
        return _update_preview_by_job(request, course, token)
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
        messages.error(request, nothing_imported(error))
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


def _update_preview_by_job(request, course, token):
    """course_update_preview for a large document: each step a job."""
    entry = _held_entry(request, token, course=course)
    job = _entry_job(request, entry, token)
    action = request.POST.get("action", "")
    action_url = reverse("teach:course-update-preview", args=[course.slug, token])
    if request.method == "POST" and action == "cancel":
        _release(request, token)
        messages.info(request, _("Update cancelled; nothing was written."))
        return redirect("teach:gradebook", course.slug)
    if request.method == "POST" and action != "apply":
        return HttpResponseBadRequest(_("Apply or cancel the update."))
    ended = _job_ended(request, job, token, course=course)
    if ended is not None:
        return ended
    if not job.finished:
        return _job_page(request, job, course=course, action_url=action_url)
    keep = job.params.get("keep", True)
    if request.method == "POST":
        keep = request.POST.get("adjustments") != "drop"
        _start_job(request, token, action="apply", course=course, keep=keep)
        return redirect(action_url)
    wanted = request.GET.get("adjustments", "keep") != "drop"
    if "adjustments" in request.GET and wanted != keep:
        # "Drop the kept adjustments" (or keep them again): read it again so.
        _start_job(request, token, action="preview", course=course, keep=wanted)
        return redirect(action_url)
    preview = preview_from_data(job.result["preview"])
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
            "name": job.params["name"],
            "action_url": action_url,
        },
    )
