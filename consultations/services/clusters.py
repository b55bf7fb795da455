"""Groups of near-duplicate inputs (issue #15, item 2): a background job suggests them, staff
confirm, merge, split or dismiss them, and one response may answer a whole group. Every
step is a ClusterEvent (the group's public history) and an audit event."""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commitments.models import Commitment
from consultations.clustering import find_groups
from consultations.models import (
    ClusterEvent,
    ClusterEventKind,
    ClusteringJob,
    ClusteringStatus,
    InputCluster,
    InputEntry,
    ReasonedResponse,
)
from ogp_portal.core import outbox
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.users.models import User
from plans.models import ActionPlan

from .ledger import excerpt
from .responses import response_draft

logger = logging.getLogger(__name__)

READ_CHUNK = 2000


def _event(
    cluster: InputCluster,
    kind: str,
    *,
    actor: User | None,
    entry_ids: Iterable[int] = (),
    other: InputCluster | None = None,
) -> ClusterEvent:
    return ClusterEvent.objects.create(
        plan_id=cluster.plan_id,
        cluster=cluster,
        cluster_label=cluster.label,
        kind=kind,
        other=other,
        other_label=other.label if other is not None else "",
        entry_ids=sorted(entry_ids),
        actor=actor,
    )


@transaction.atomic
def clustering_request(plan: ActionPlan, *, actor: User) -> ClusteringJob:
    """Queue a job that suggests groups for the plan's inputs (one running job per plan: a
    second request while one is queued or running returns that one)."""
    running = ClusteringJob.objects.filter(
        plan=plan, status__in=[ClusteringStatus.QUEUED, ClusteringStatus.RUNNING]
    ).first()
    if running is not None:
        return running
    job = ClusteringJob.objects.create(plan=plan, requested_by=actor)
    from consultations.tasks import suggest_clusters_task

    outbox.enqueue(suggest_clusters_task, job.pk)
    record_event(actor, "consultations.clustering.requested", plan, job=job.pk)
    return job


def _claim(job: ClusteringJob) -> bool:
    now = timezone.now()
    return bool(
        ClusteringJob.objects.filter(pk=job.pk, status=ClusteringStatus.QUEUED).update(
            status=ClusteringStatus.RUNNING, started_at=now, heartbeat_at=now, step=""
        )
    )


def _report(job: ClusteringJob, progress: int, step: str, **fields: int) -> None:
    ClusteringJob.objects.filter(pk=job.pk).update(
        progress=progress, step=step[:200], heartbeat_at=timezone.now(), **fields
    )


def clustering_run(job: ClusteringJob) -> ClusteringJob:
    """Run a queued job: read the plan's public inputs not in a confirmed group, find the
    near-duplicates, replace the earlier suggestions with the new ones. Progress and a
    heartbeat are written as it goes; a failure is recorded on the job, not raised."""
    if not _claim(job):
        return job
    try:
        _suggest(job)
    except Exception as error:
        logger.exception("Clustering job %s failed", job.pk)
        ClusteringJob.objects.filter(pk=job.pk).update(
            status=ClusteringStatus.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _suggest(job: ClusteringJob) -> None:
    plan = ActionPlan.objects.get(pk=job.plan_id)
    candidates = (
        InputEntry.objects.public().filter(plan=plan).exclude(cluster__confirmed_at__isnull=False)
    )
    total = candidates.count() or 1

    def on_read(read: int, distinct: int) -> None:
        _report(
            job,
            min(70, 70 * read // total),
            _("Read %(read)s of %(total)s inputs") % {"read": read, "total": total},
            inputs_read=read,
        )

    rows = candidates.order_by("pk").values_list("pk", "text", "title").iterator(READ_CHUNK)
    groups = find_groups(((pk, text or title) for pk, text, title in rows), progress=on_read)
    _report(job, 80, _("Saving %(n)s suggested groups") % {"n": len(groups)})
    with transaction.atomic():
        stale = InputCluster.objects.filter(plan=plan, confirmed_at__isnull=True)
        InputEntry.objects.filter(cluster__in=stale).update(cluster=None)
        stale.delete()
        titles = dict(
            InputEntry.objects.filter(pk__in=[g[0] for g in groups]).values_list("pk", "title")
        )
        for ids in groups:
            cluster = InputCluster.objects.create(
                plan=plan, label=excerpt(titles.get(ids[0], ""), 200) or f"I-{ids[0]}"
            )
            InputEntry.objects.filter(pk__in=ids).update(cluster=cluster)
            _event(cluster, ClusterEventKind.SUGGESTED, actor=None, entry_ids=ids)
        ClusteringJob.objects.filter(pk=job.pk).update(
            status=ClusteringStatus.DONE,
            progress=100,
            step=_("Done"),
            clusters_suggested=len(groups),
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )


@transaction.atomic
def cluster_confirm(cluster: InputCluster, *, actor: User) -> InputCluster:
    """Staff agree the suggested group is one: it stays through later runs."""
    updated = InputCluster.objects.filter(pk=cluster.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(), created_by=actor
    )
    if not updated:
        raise DomainError(_("This group is already confirmed."))
    cluster.refresh_from_db()
    ids = list(cluster.entries.values_list("pk", flat=True))
    _event(cluster, ClusterEventKind.CONFIRMED, actor=actor, entry_ids=ids)
    record_event(actor, "consultations.cluster.confirmed", cluster, entries=len(ids))
    return cluster


@transaction.atomic
def cluster_merge(cluster: InputCluster, *, actor: User, other: InputCluster) -> InputCluster:
    """Move every input of `other` into `cluster`; `other` goes, its history stays."""
    if other.pk == cluster.pk or other.plan_id != cluster.plan_id:
        raise DomainError(_("Choose another group of the same plan to merge."))
    moved = list(other.entries.values_list("pk", flat=True))
    InputEntry.objects.filter(pk__in=moved).update(cluster=cluster)
    # The merged group's history becomes part of this one's (its events keep its label).
    ClusterEvent.objects.filter(cluster=other).update(cluster=cluster)
    _event(cluster, ClusterEventKind.MERGED, actor=actor, entry_ids=moved, other=other)
    record_event(actor, "consultations.cluster.merged", cluster, merged=other.pk, entries=moved)
    other.delete()
    return cluster


@transaction.atomic
def cluster_split(
    cluster: InputCluster, *, actor: User, entry_ids: Iterable[int], label: str = ""
) -> InputCluster:
    """Take the chosen inputs out of `cluster` into a new confirmed group; both keep the
    split in their history. Returns the new group."""
    ids = sorted(set(cluster.entries.filter(pk__in=list(entry_ids)).values_list("pk", flat=True)))
    if not ids:
        raise DomainError(_("Choose the inputs to split off."))
    if len(ids) == cluster.entries.count():
        raise DomainError(_("Leave at least one input in the group."))
    new = InputCluster.objects.create(
        plan_id=cluster.plan_id,
        label=(label.strip() or _("Split from: %(label)s") % {"label": cluster.label})[:250],
        created_by=actor,
        confirmed_at=timezone.now(),
    )
    InputEntry.objects.filter(pk__in=ids).update(cluster=new)
    _event(cluster, ClusterEventKind.SPLIT, actor=actor, entry_ids=ids, other=new)
    _event(new, ClusterEventKind.SPLIT, actor=actor, entry_ids=ids, other=cluster)
    record_event(actor, "consultations.cluster.split", cluster, new=new.pk, entries=ids)
    return new


@transaction.atomic
def cluster_dismiss(cluster: InputCluster, *, actor: User) -> None:
    """Not a group after all: its inputs stand alone again; the history says so."""
    ids = list(cluster.entries.values_list("pk", flat=True))
    InputEntry.objects.filter(pk__in=ids).update(cluster=None)
    _event(cluster, ClusterEventKind.DISMISSED, actor=actor, entry_ids=ids)
    record_event(actor, "consultations.cluster.dismissed", cluster, entries=ids)
    cluster.delete()


def cluster_respond(
    cluster: InputCluster,
    *,
    actor: User,
    decision: str,
    reason: str,
    commitments: Iterable[Commitment] = (),
) -> ReasonedResponse:
    """Draft one response to every input of a confirmed group (the ledger's draft → review →
    publish then applies; every member shows the response once published)."""
    if cluster.confirmed_at is None:
        raise DomainError(_("Confirm the group before answering it as one."))
    plan = ActionPlan.objects.get(pk=cluster.plan_id)
    return response_draft(
        plan,
        actor=actor,
        entries=list(cluster.entries.all()),
        decision=decision,
        reason=reason,
        commitments=commitments,
    )
