"""The public repository of process documents (ogp-domain.md §1.9, MR 2.2): every record of a
member's OGP process, from uploaded documents to the minutes and rules the forum publishes.

The table was forums_repositorydocument until the model moved here (issue #12); the rows moved
with it (migrations forums 0003 and records 0001).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forums.models import ForumMeeting
from ogp_portal.organisations.models import Member
from plans.models import ActionPlan

from .choices import DocumentType


class RepositoryDocumentQuerySet(models.QuerySet["RepositoryDocument"]):
    def published(self, now: dt.datetime | None = None) -> "RepositoryDocumentQuerySet":
        return self.filter(published_at__lte=now or timezone.now())


class RepositoryDocument(models.Model):
    """One record of the OGP process in the member's public repository (MR 2.2)."""

    member = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        related_name="repository_documents",
        verbose_name=_("member"),
    )
    doc_type = models.CharField(_("type"), max_length=30, choices=DocumentType.choices)
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    plan = models.ForeignKey(
        ActionPlan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repository_documents",
        verbose_name=_("action plan"),
    )
    # Set for the record the portal creates when a meeting's minutes are published.
    meeting = models.OneToOneField(
        ForumMeeting,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="repository_document",
        verbose_name=_("meeting"),
    )
    # Set for the record an outreach activity leaves (MR 3.2).
    outreach = models.OneToOneField(
        "OutreachActivity",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="repository_document",
        verbose_name=_("outreach activity"),
    )
    file = models.FileField(_("file"), upload_to="forums/repository/%Y/", blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )

    objects = RepositoryDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("repository document")
        verbose_name_plural = _("repository documents")
        indexes = [models.Index(fields=["member", "-published_at"], name="repo_member_published")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(file="") | ~Q(url=""), name="repositorydocument_file_or_url"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def link(self) -> str:
        if self.file:
            return reverse("records:document-file", args=[self.pk])
        return self.url


class OutreachActivity(models.Model):
    """Something the government did to tell people about the plan's co-creation and bring them
    in (MR 3.2): what, where, when, for whom, with which materials, and evidence of it.
    Public as soon as it is recorded; it also leaves an entry in the repository."""

    plan = models.ForeignKey(
        ActionPlan,
        on_delete=models.CASCADE,
        related_name="outreach_activities",
        verbose_name=_("action plan"),
    )
    title = models.CharField(_("what was done"), max_length=250)
    place = models.CharField(_("where"), max_length=250)
    held_on = models.DateField(_("date"))
    audience = models.CharField(_("audience"), max_length=250)
    materials = models.TextField(_("materials"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="records/outreach/%Y/", blank=True)
    evidence_url = models.URLField(_("evidence address"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        indexes = [models.Index(fields=["plan", "-held_on"], name="outreach_plan_held_on")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plan_records:outreach-list", args=[self.plan_id]) + f"#outreach-{self.pk}"

    @property
    def evidence_link(self) -> str:
        if self.evidence:
            return reverse("plan_records:outreach-file", args=[self.pk])
        return self.evidence_url


class DashboardSnapshot(models.Model):
    """The dashboards' numbers, counted by a periodic job (records/dashboard/refresh.py), so
    a dashboard page reads one row. `member` empty: the portal-wide dashboard. `data` holds
    only public aggregates (small counts of profile data already suppressed)."""

    member = models.OneToOneField(
        Member,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dashboard_snapshot",
        verbose_name=_("member"),
    )
    scope = models.CharField(_("scope"), max_length=100, unique=True)
    data = models.JSONField(_("numbers"), default=dict)
    computed_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self) -> str:
        return self.scope
