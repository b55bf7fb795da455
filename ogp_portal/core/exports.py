"""Document exports (the action plan PDF, consultation reports, minutes) as background jobs.

Apps higher up register each kind of document at start-up (register_export in their
AppConfig.ready), so this module never imports them. A request makes an ExportJob and queues
run_export_task on commit; the worker builds the document's HTML, hashes it, and reuses the
stored GeneratedFile for that exact content, or renders and stores a new one. The job page
follows the job's progress. Management commands use the same run path (export_now).
"""

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from celery import shared_task
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import export_liveness as liveness
from . import outbox
from .errors import DomainError
from .export_kinds import (  # noqa: F401  (the registry is part of this module's API)
    ExportKind,
    Progress,
    get_export,
    register_export,
    registered_kinds,
)
from .models import ExportJob, GeneratedFile, JobStatus

logger = logging.getLogger(__name__)

# run_export_task's hard time limit (seconds): Celery kills a render that takes longer.
EXPORT_TIME_LIMIT = 660
# How far past the hard time limit an active job may go before it is presumed lost.
STALE_MARGIN = timedelta(minutes=4)
ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
# How long latest_download trusts the content hash it last computed for a document
# (see current_file).
CURRENT_HASH_TTL = 60


def stale_after() -> timedelta:
    """Age after which a queued or running job is presumed lost (the worker was killed, hit
    the hard time limit, or the message was lost): longer than any time limit a worker
    enforces, so a job still alive is never given up on."""
    limit = max(EXPORT_TIME_LIMIT, getattr(settings, "CELERY_TASK_TIME_LIMIT", 0) or 0)
    return timedelta(seconds=limit) + STALE_MARGIN


def can_view_job(user: Any, job: ExportJob) -> bool:
    """The person who asked, the secretariat, or, for a job asked for while the document was
    public, anyone who may still export it. A job made from a draft stays with the person
    who asked (and the secretariat) even once the document is published: its file is the
    draft's."""
    from ogp_portal.organisations.access import access_for

    if user is not None and user.is_authenticated and job.requested_by_id == user.pk:
        return True
    if access_for(user).is_secretariat:
        return True
    if not job.is_public:
        return False
    try:
        spec = get_export(job.kind)
        target = job_target(job)
    except (KeyError, ObjectDoesNotExist):
        return False
    return bool(spec.can_export(user if user is not None else AnonymousUser(), target))


def job_target(job: ExportJob) -> models.Model:
    return get_export(job.kind).model._default_manager.get(pk=job.target_id)


def _content_type(spec: ExportKind) -> ContentType:
    return ContentType.objects.get_for_model(spec.model)


# --- requesting -----------------------------------------------------------------------------


@transaction.atomic
def request_export(kind: str, target: models.Model, user: Any, language: str | None) -> ExportJob:
    """Ask for `target` as a `kind` document in `language` (normalised to one the document
    exists in).

    Preconditions: `user` may export it (the view checks can_export). Effects: returns the
    queued or running job for the same document and language when it is alive (a fresh
    heartbeat, or queued recently; see export_liveness) and the person may follow it, so a
    double click does not start a second render; otherwise creates a job and queues
    run_export_task on commit. A job whose worker or message was lost is never joined: the
    sweeper runs it again, and the new job reuses its file if it finishes first.
    """
    spec = get_export(kind)
    language = spec.language_for(target, language)
    content_type = _content_type(spec)
    active = (
        ExportJob.objects.filter(
            kind=kind, target_type=content_type, target_id=target.pk, language=language
        )
        .filter(liveness.alive(timezone.now()))
        .order_by("created_at")
    )
    for job in active:
        if can_view_job(user, job):
            return job
    job = ExportJob.objects.create(
        kind=kind,
        target_type=content_type,
        target_id=target.pk,
        language=language,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        is_public=spec.is_public(target),
    )
    _enqueue(job)
    return job


def _stale(now: datetime) -> models.Q:
    cutoff = now - stale_after()
    return models.Q(status=JobStatus.QUEUED, queued_at__lt=cutoff) | models.Q(
        status=JobStatus.RUNNING, started_at__lt=cutoff
    )


def export_job_fail_if_stale(job: ExportJob) -> ExportJob:
    """Mark a job failed when it has been queued or running for longer than any worker lets
    a render run (its worker crashed or was killed at the hard time limit, or its message was
    lost, and no sweeper ran it again: beat or every worker is down), so the person waiting
    sees a message and can try again instead of a bar that never moves. Compare-and-set: a
    job that finished meanwhile is left alone, and a worker that picks the message up late
    finds the job no longer queued and does nothing."""
    if job.status not in ACTIVE_STATUSES:
        return job
    now = timezone.now()
    failed = (
        ExportJob.objects.filter(pk=job.pk)
        .filter(_stale(now))
        .update(
            status=JobStatus.FAILED,
            error=_(
                "The export took too long and was stopped. Try again; if it fails again, "
                "tell the secretariat."
            ),
            finished_at=now,
        )
    )
    if failed:
        logger.warning("Export job %s (%s) was lost; marked failed.", job.pk, job.status)
        job.refresh_from_db()
    return job


@transaction.atomic
def retry_export(job: ExportJob) -> ExportJob:
    """Try again: queue a failed job again, or a stuck one (running with a stopped
    heartbeat, or queued with its message lost; see export_liveness). A stuck run is marked
    dead by the change itself: it no longer holds the job, so if its worker still lives it
    stops at its next progress step and writes nothing. Compare-and-set: a job already
    retried, or one that is alive, is left alone."""
    export_job_fail_if_stale(job)
    now = timezone.now()
    retryable = (
        models.Q(status=JobStatus.FAILED) | liveness.lost_running(now) | liveness.lost_queued(now)
    )
    updated = (
        ExportJob.objects.filter(pk=job.pk)
        .filter(retryable)
        .update(**_requeued_fields(now), restarts=0)
    )
    if updated:
        logger.info("Export job %s queued again (Try again).", job.pk)
        _enqueue(job)
    job.refresh_from_db()
    return job


def _requeued_fields(now: datetime) -> dict[str, Any]:
    return {
        "status": JobStatus.QUEUED,
        "progress": 0,
        "step": "",
        "error": "",
        "started_at": None,
        "heartbeat_at": None,
        "finished_at": None,
        "queued_at": now,
    }


def _enqueue(job: ExportJob) -> None:
    outbox.enqueue(run_export_task, str(job.pk))


# --- running --------------------------------------------------------------------------------


def build_html(spec: ExportKind, target: Any, language: str, progress: Progress) -> str:
    """The document's HTML, with labels in `language` where the portal speaks it."""
    with translation.override(language):
        return spec.build(target, language, progress)


def content_hash(html: str) -> str:
    return hashlib.sha256(html.encode("utf-8")).hexdigest()


def stored_file(spec: ExportKind, target: Any, language: str, digest: str) -> GeneratedFile | None:
    return GeneratedFile.objects.filter(
        kind=spec.kind,
        target_type=_content_type(spec),
        target_id=target.pk,
        language=language,
        content_hash=digest,
    ).first()


def _current_hash_key(kind: str, target: Any, language: str) -> str:
    return f"exports:current-hash:{kind}:{target.pk}:{language}"


def current_file(kind: str, target: Any, language: str | None) -> GeneratedFile | None:
    """The stored file for the document's current content, or None (nothing is rendered;
    the HTML is built only when some file of this document exists at all).

    Building the HTML costs as much as the document's page, and anyone may ask for a public
    document's latest file: the content hash is kept in the cache for CURRENT_HASH_TTL
    seconds, so the HTML is built at most once a minute per document and language, however
    many people download it. No cheap key changes with every part of the document (its
    commitments, milestones, translations, consultations), so an edit is served at most that
    long after it is made; a job always hashes the content it renders afresh."""
    spec = get_export(kind)
    language = spec.language_for(target, language)
    any_file = GeneratedFile.objects.filter(
        kind=kind, target_type=_content_type(spec), target_id=target.pk, language=language
    ).exists()
    if not any_file:
        return None
    key = _current_hash_key(kind, target, language)
    digest = cache.get(key)
    if digest is None:
        digest = content_hash(build_html(spec, target, language, lambda _p, _s: None))
        cache.set(key, digest, CURRENT_HASH_TTL)
    return stored_file(spec, target, language, digest)


class RunSuperseded(Exception):
    """This run no longer holds its job: it was presumed dead (its heartbeat stopped) and
    the job was queued again, or tried again. It stops; the new run does the work."""


def _holding(job: ExportJob, attempt: int) -> models.QuerySet[ExportJob]:
    """The job, as long as run number `attempt` holds it: every write of a run goes through
    this, so a run replaced by a newer one never changes the job again."""
    return ExportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempt=attempt)


def _progress_for(job: ExportJob, attempt: int) -> Progress:
    last = {"percent": -1}

    def progress(percent: int, step: str) -> None:
        # Never backwards (WeasyPrint lays the pages out again to resolve page numbers).
        percent = max(0, min(99, int(percent)))
        if percent <= last["percent"]:
            return
        last["percent"] = percent
        held = _holding(job, attempt).update(
            progress=percent, step=str(step)[:200], heartbeat_at=timezone.now()
        )
        if not held:
            raise RunSuperseded(f"export job {job.pk}: run {attempt} was replaced")

    return progress


def _render_steps(progress: Progress) -> Callable[[int, int | None], None]:
    """WeasyPrint's steps as job progress: 40 % when rendering starts, 85 % when the PDF is
    written; while laying out, the page being laid out."""

    def on_step(step: int, page: int | None) -> None:
        if step == 5 and page:
            progress(min(80, 45 + page // 2), _("Laying out page %(page)s") % {"page": page})
        elif step >= 6:
            progress(85, _("Writing the PDF file"))

    return on_step


def _store(
    spec: ExportKind, target: Any, language: str, digest: str, pdf: bytes, seconds: float
) -> tuple[GeneratedFile, bool]:
    """Save the PDF to the default storage (local disk or S3) and record it. Two renders of
    the same content racing: the unique constraint keeps one row, the loser's file is
    removed and the winner's row returned (reused=True)."""
    name = spec.filename(target, language)
    generated = GeneratedFile(
        kind=spec.kind,
        target_type=_content_type(spec),
        target_id=target.pk,
        language=language,
        content_hash=digest,
        filename=name,
        size=len(pdf),
        render_seconds=round(seconds, 3),
    )
    generated.file.save(name, ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            generated.save()
    except IntegrityError:
        generated.file.delete(save=False)
        existing = stored_file(spec, target, language, digest)
        if existing is None:
            raise
        return existing, True
    return generated, False


def _claim(job: ExportJob) -> int | None:
    """Queued → running by compare-and-set, as run number attempt + 1 (returned); None when
    the job is not queued (a duplicated message, or a run that was already replaced)."""
    attempt = (
        ExportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED)
        .values_list("attempt", flat=True)
        .first()
    )
    if attempt is None:
        return None
    now = timezone.now()
    claimed = ExportJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED, attempt=attempt).update(
        status=JobStatus.RUNNING,
        attempt=attempt + 1,
        started_at=now,
        heartbeat_at=now,
        progress=1,
        error="",
    )
    return attempt + 1 if claimed else None


def run_export(job: ExportJob) -> ExportJob:
    """Build, hash, reuse or render, store. Claims the job by compare-and-set (queued →
    running), so a duplicated task does nothing twice, and keeps its heartbeat going while
    it runs (export_liveness). Any failure marks the job failed with a message for the
    person waiting (the traceback goes to the log); a run replaced meanwhile (presumed dead,
    queued again) writes nothing."""
    attempt = _claim(job)
    if attempt is None:
        logger.info("Export job %s was not queued any more; nothing to do.", job.pk)
        job.refresh_from_db()
        return job
    language = job.language if job.language in dict(settings.LANGUAGES) else None
    with (
        translation.override(language or settings.LANGUAGE_CODE),
        liveness.HeartbeatThread(job.pk, attempt),
    ):
        try:
            _run_claimed(job, attempt)
        except RunSuperseded:
            logger.warning("Export job %s: run %s was replaced; it stops.", job.pk, attempt)
        except Exception as error:
            logger.exception("Export job %s (%s %s) failed", job.pk, job.kind, job.target_id)
            _holding(job, attempt).update(
                status=JobStatus.FAILED, error=_failure_message(error), finished_at=timezone.now()
            )
    job.refresh_from_db()
    return job


def _failure_message(error: Exception) -> str:
    if isinstance(error, DomainError):
        return str(error)
    if isinstance(error, ObjectDoesNotExist):
        return _("The document could not be made: what it shows no longer exists.")
    return _(
        "The document could not be made because of an error on our side. Try again; "
        "if it fails again, tell the secretariat."
    )


def _run_claimed(job: ExportJob, attempt: int) -> None:
    spec = get_export(job.kind)
    progress = _progress_for(job, attempt)
    progress(5, _("Collecting the content"))
    target = spec.model._default_manager.get(pk=job.target_id)
    html = build_html(spec, target, job.language, progress)
    digest = content_hash(html)
    reused = True
    generated = stored_file(spec, target, job.language, digest)
    if generated is None:
        progress(40, _("Laying out the pages"))
        started = time.monotonic()
        if spec.render is not None:
            pdf = spec.render(target, html, job.language, progress)
        else:
            # Imported here: WeasyPrint takes about 0.6 s to import (it parses its
            # stylesheets), and only the process that renders needs it.
            from .pdf import render_pdf

            pdf = render_pdf(html, on_step=_render_steps(progress))
        seconds = time.monotonic() - started
        progress(90, _("Storing the file"))
        generated, reused = _store(spec, target, job.language, digest, pdf, seconds)
        logger.info(
            "Export job %s rendered %s (%d bytes) in %.2f s", job.pk, job.kind, len(pdf), seconds
        )
    _holding(job, attempt).update(
        status=JobStatus.DONE,
        progress=100,
        step=_("Ready"),
        result=generated,
        reused=reused,
        finished_at=timezone.now(),
    )
    # The document was just hashed afresh: latest_download must not go on trusting an older
    # hash (a shared cache makes this reach the web processes too).
    cache.delete(_current_hash_key(spec.kind, target, job.language))


def export_now(
    kind: str, target: models.Model, *, language: str | None = None, user: Any = None
) -> ExportJob:
    """Make the document now, in this process (management commands, scripts): the same
    run path as the worker, on a job recorded like any other."""
    spec = get_export(kind)
    job = ExportJob.objects.create(
        kind=kind,
        target_type=_content_type(spec),
        target_id=target.pk,
        language=spec.language_for(target, language),
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        is_public=spec.is_public(target),
    )
    return run_export(job)


@shared_task(soft_time_limit=EXPORT_TIME_LIMIT - 60, time_limit=EXPORT_TIME_LIMIT)
def run_export_task(job_id: str) -> None:
    """Render one ExportJob (a vanished job is logged and ignored). Acknowledged late and
    given back if its worker dies (settings: CELERY_TASK_ACKS_LATE, _REJECT_ON_WORKER_LOST);
    a run lost anyway is found by its stopped heartbeat (sweep_export_jobs_task)."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("Export job %s vanished before it ran.", job_id)
        return
    run_export(job)


@shared_task(ignore_result=True)
def sweep_export_jobs_task() -> dict[str, int]:
    """Queue again the export jobs whose worker or message was lost (beat, every
    EXPORT_SWEEP_SECONDS)."""
    from .export_sweep import export_jobs_sweep  # it builds on this module

    return export_jobs_sweep()
