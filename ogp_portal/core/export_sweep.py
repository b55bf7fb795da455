"""The export sweeper: runs again the jobs whose worker or message was lost (beat calls it
through exports.sweep_export_jobs_task every EXPORT_SWEEP_SECONDS; liveness rules in
export_liveness)."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import export_liveness as liveness
from .exports import _enqueue, _requeued_fields
from .models import ExportJob, JobStatus

logger = logging.getLogger("ogp_portal.core.exports")


def export_jobs_sweep() -> dict[str, int]:
    """Run again the jobs whose worker or message was lost (beat calls it every
    EXPORT_SWEEP_SECONDS, see export_liveness): a running job whose heartbeat stopped is
    queued again (its dead run can no longer write to it), up to EXPORT_MAX_RESTARTS times,
    then failed with a message (a document that kills its worker each time must not loop);
    a queued job no worker took is sent again (a duplicate message finds it claimed and
    does nothing). Each job is changed by compare-and-set, so two sweeps never double a
    job. Returns how many jobs were restarted, sent again and failed."""
    counts = {"restarted": 0, "resent": 0, "failed": 0}
    now = timezone.now()
    lost = ExportJob.objects.filter(liveness.lost_running(now) | liveness.lost_queued(now))
    for job in lost.only("pk", "status", "attempt", "restarts", "queued_at", "language"):
        try:
            outcome = _sweep_one(job, now)
        except Exception:
            # One job that cannot be queued (the broker answers nothing) must not keep the
            # others waiting; the next sweep tries it again.
            logger.exception("Sweeping export job %s failed", job.pk)
            continue
        if outcome:
            counts[outcome] += 1
    if any(counts.values()):
        logger.warning("Export sweep: %s", counts)
    return counts


def _sweep_one(job: ExportJob, now: datetime) -> str:
    same_state = ExportJob.objects.filter(pk=job.pk, status=job.status)
    if job.status == JobStatus.QUEUED:
        with transaction.atomic():
            if not same_state.filter(queued_at=job.queued_at).update(queued_at=now):
                return ""
            _enqueue(job)
        return "resent"
    running = same_state.filter(attempt=job.attempt).filter(liveness.lost_running(now))
    if job.restarts >= settings.EXPORT_MAX_RESTARTS:
        with translation.override(job.language):
            error = _(
                "The export stopped several times before it was finished. Try again; if it "
                "fails again, tell the secretariat."
            )
        failed = running.update(status=JobStatus.FAILED, error=error, finished_at=now)
        return "failed" if failed else ""
    with transaction.atomic():
        with translation.override(job.language):
            step = _("Starting again after an interruption")
        fields = _requeued_fields(now) | {"step": step, "restarts": job.restarts + 1}
        if not running.update(**fields):
            return ""
        _enqueue(job)
    logger.warning("Export job %s lost its worker (run %s); queued again.", job.pk, job.attempt)
    return "restarted"
