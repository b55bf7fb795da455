"""Grouping near-duplicate and campaign inputs (issue #15, item 2): the job that suggests
groups (ClusteringJob, with its progress) and the history of what staff did with them
(ClusterEvent: suggested, confirmed, merged, split, dismissed). The groups themselves are
InputCluster rows (ledger.py): a group with no `confirmed_at` is a suggestion."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plans.models import ActionPlan

from .ledger import InputCluster


class ClusteringStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ClusteringJob(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ClusteringStatus.choices, default=ClusteringStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    inputs_read = models.PositiveIntegerField(default=0)
    clusters_suggested = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written while the job runs: a job whose heartbeat stopped has lost its worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("clustering job")
        verbose_name_plural = _("clustering jobs")

    def __str__(self) -> str:
        return f"{self.plan_id} {self.status} {self.progress}%"


class ClusterEventKind(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    MERGED = "merged", _("Merged")
    SPLIT = "split", _("Split")
    DISMISSED = "dismissed", _("Dismissed")


class ClusterEvent(models.Model):
    """What happened to a group, kept when the group itself is merged away or dismissed."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="+")
    cluster = models.ForeignKey(
        InputCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    cluster_label = models.CharField(max_length=250)
    kind = models.CharField(max_length=10, choices=ClusterEventKind.choices)
    # The other group of a merge (merged into this one) or a split (split off from this one).
    other = models.ForeignKey(
        InputCluster, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    other_label = models.CharField(max_length=250, blank=True)
    entry_ids = models.JSONField(default=list, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("cluster event")
        verbose_name_plural = _("cluster events")

    def __str__(self) -> str:
        return f"{self.cluster_label}: {self.kind}"
