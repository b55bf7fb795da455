"""Export pages: start a job, follow it, download the file.

Who may export what is the registered kind's can_export (core/exports.py); a document the
person may not export answers 404, so drafts never show that they exist. A job page is for
the person who asked, the secretariat, or anyone when the document is public.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from . import export_liveness, exports
from .files import file_response
from .models import ExportJob, JobStatus


def anonymous_rate(group: str, request: HttpRequest) -> str | None:
    """Jobs cost a render: people who are not signed in may start a few per address only.
    Signed-in people are not limited here (their exports are bounded by permissions)."""
    if request.user.is_authenticated:
        return None
    return getattr(settings, "EXPORTS_ANONYMOUS_RATE", "10/h")


def _spec(kind: str) -> exports.ExportKind:
    try:
        return exports.get_export(kind)
    except KeyError as error:
        raise Http404 from error


def _exportable(request: HttpRequest, spec: exports.ExportKind, pk: int):
    target = get_object_or_404(spec.model._default_manager.all(), pk=pk)
    if not spec.can_export(request.user, target):
        raise Http404
    return target


def _viewable_job(request: HttpRequest, job_id) -> ExportJob:
    """The job, if this person may follow it; a job its worker lost is reported failed."""
    job = get_object_or_404(ExportJob.objects.select_related("result"), pk=job_id)
    if not exports.can_view_job(request.user, job):
        raise Http404
    return exports.export_job_fail_if_stale(job)


@require_POST
@ratelimit(key="ip", rate=anonymous_rate, method="POST", block=False)
def export_start(request: HttpRequest, kind: str, ct_id: int, pk: int) -> HttpResponse:
    """POST: start (or join) the export of one document, then show its job page."""
    spec = _spec(kind)
    if ContentType.objects.get_for_model(spec.model).pk != ct_id:
        raise Http404
    target = _exportable(request, spec, pk)
    if getattr(request, "limited", False):
        return render(
            request,
            "core/exports/limited.html",
            {"target": target, "retry_url": request.POST.get("next", "")},
            status=429,
        )
    language = request.POST.get("language") or get_language()
    job = exports.request_export(kind, target, request.user, language)
    return redirect("exports:job-detail", job_id=job.pk)


def _status_text(job: ExportJob) -> str:
    """The live status line: the status, then the step, or the error of a failed job (so a
    screen reader announces why it failed, not only that it did)."""
    label = str(JobStatus(job.status).label)
    if job.status == JobStatus.FAILED and job.error:
        detail = job.error
    elif job.step and job.status != JobStatus.DONE:
        detail = job.step
    else:
        return label
    # A translated pattern: French puts a space before the colon ("En cours : …").
    return _("%(status)s: %(detail)s") % {"status": label, "detail": detail}


def _heading(job: ExportJob) -> str:
    """The page's heading (and title) for the job's state."""
    if job.status == JobStatus.DONE:
        return _("Your document is ready")
    if job.status == JobStatus.FAILED:
        return _("The export failed")
    return _("Preparing your document")


def _job_state(job: ExportJob) -> dict:
    return {
        "status": job.status,
        "status_label": str(JobStatus(job.status).label),
        "status_text": _status_text(job),
        "heading": _heading(job),
        "progress": job.progress,
        "step": job.step,
        "error": job.error,
        "reused": job.reused,
        # Queued or running, but its worker or its message was lost: the page offers
        # "Try again" (the sweeper would also run it again within a minute or two).
        "is_stuck": export_liveness.is_stuck(job),
        "download_url": reverse("exports:job-download", args=[job.pk])
        if job.status == JobStatus.DONE and job.result_id
        else "",
    }


@never_cache
@require_GET
def job_detail(request: HttpRequest, job_id) -> HttpResponse:
    job = _viewable_job(request, job_id)
    try:
        target = exports.job_target(job)
    except (KeyError, ObjectDoesNotExist):
        target = None
    context = {
        "job": job,
        "state": _job_state(job),
        "status_text": _status_text(job),
        "target": target,
    }
    return render(request, "core/exports/job_detail.html", context)


@never_cache
@require_GET
def job_status(request: HttpRequest, job_id) -> JsonResponse:
    """What the job page polls every second."""
    return JsonResponse(_job_state(_viewable_job(request, job_id)))


@require_POST
def job_retry(request: HttpRequest, job_id) -> HttpResponse:
    """Try a failed or stuck job again (same job page); a job that is alive is left to
    run. Only people who may export the document."""
    job = _viewable_job(request, job_id)
    spec = _spec(job.kind)
    try:
        target = exports.job_target(job)
    except ObjectDoesNotExist as error:
        raise Http404 from error
    if not spec.can_export(request.user, target):
        raise Http404
    exports.retry_export(job)
    return redirect("exports:job-detail", job_id=job.pk)


@require_GET
def job_download(request: HttpRequest, job_id) -> HttpResponseBase:
    job = _viewable_job(request, job_id)
    if job.status != JobStatus.DONE or job.result is None:
        raise Http404
    return file_response(job.result.file, job.result.filename)


@require_GET
def latest_download(request: HttpRequest, kind: str, pk: int) -> HttpResponseBase:
    """The document as it is now: the stored file when one matches the current content,
    else a page that offers to make it (a GET never starts a render)."""
    spec = _spec(kind)
    target = _exportable(request, spec, pk)
    language = spec.language_for(target, request.GET.get("language") or get_language())
    generated = exports.current_file(kind, target, language)
    if generated is not None:
        return file_response(generated.file, generated.filename)
    context = {
        "target": target,
        "kind": kind,
        "language": language,
        "content_type_id": ContentType.objects.get_for_model(spec.model).pk,
    }
    return render(request, "core/exports/prepare.html", context)
