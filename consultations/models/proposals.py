"""Proposals, their attachments, supports and links to commitments, and the reasoned
response published to each input."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from consultations.choices import (
    ProposalStatus,
    ResponseDecision,
    ResponseStatus,
    SubmitterType,
)
from ogp_portal.organisations.models import Organisation
from plans.models import ActionPlan, PolicyArea

from .windows import Consultation


class ReasonedResponseQuerySet(models.QuerySet):
    def published(self) -> "ReasonedResponseQuerySet":
        return self.filter(published_at__isnull=False)


class ReasonedResponse(models.Model):
    """The government's answer to one input, or to a group of inputs (the ledger entries that
    point at it). Drafted, reviewed, then published: only `published_at` makes it public and
    only a published response counts for adoption."""

    plan = models.ForeignKey(
        ActionPlan, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT
    )
    decision = models.CharField(_("decision"), max_length=30, choices=ResponseDecision.choices)
    reason = models.TextField(_("reasoned response"))
    commitments = models.ManyToManyField(
        Commitment,
        blank=True,
        related_name="shaping_responses",
        verbose_name=_("commitments it shaped"),
    )
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ReasonedResponseQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reasoned response")
        verbose_name_plural = _("reasoned responses")

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.reason[:60]}"

    @property
    def reference(self) -> str:
        return f"R-{self.pk}"


class ProposalQuerySet(models.QuerySet):
    def published(self) -> "ProposalQuerySet":
        return self.exclude(status=ProposalStatus.DRAFT)


class Proposal(models.Model):
    """A commitment proposal, with the commitment template's questions."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
        verbose_name=_("on behalf of"),
    )
    submitter_type = models.CharField(
        _("submitted as"), max_length=20, choices=SubmitterType.choices
    )
    title = models.CharField(_("title"), max_length=250)
    problem = models.TextField(_("what problem should be solved?"), blank=True)
    causes = models.TextField(_("what are its causes?"), blank=True)
    proposed_solution = models.TextField(_("what do you propose?"), blank=True)
    expected_results = models.TextField(_("what results do you expect?"), blank=True)
    access_to_information = models.BooleanField(_("access to information"), default=False)
    civic_participation = models.BooleanField(_("civic participation"), default=False)
    public_accountability = models.BooleanField(_("public accountability"), default=False)
    technology_innovation = models.BooleanField(_("technology and innovation"), default=False)
    policy_area = models.ForeignKey(
        PolicyArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("policy area"),
    )
    suggested_lead_agency = models.CharField(_("suggested lead agency"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=30, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_proposals",
        verbose_name=_("merged into"),
    )
    # A foreign key, not one-to-one: one response may answer a cluster of proposals.
    response = models.ForeignKey(
        ReasonedResponse,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    # Sent with the form: a double submit carries the same token and creates nothing twice.
    submission_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    support_count = models.PositiveIntegerField(_("supporters"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        # The list pages read one consultation's proposals newest first, all of them or one
        # status: these two serve both the page and its count from the index alone, so a
        # consultation with 200,000 proposals costs what one with 200 does.
        indexes = [
            models.Index(
                fields=["consultation", "-submitted_at", "-id"],
                condition=~Q(status="draft"),
                name="proposal_published_order",
            ),
            models.Index(
                fields=["consultation", "status", "-submitted_at", "-id"],
                name="proposal_status_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:proposal-detail", args=[self.pk])

    def get_status_display(self) -> str:  # type: ignore[no-redef]  # replaces the generated one
        """The status in the reader's language. Replaces Django's, which builds a dict of
        every status on each call and so translates all of them (a list page of 25 proposals
        made about 225 translation lookups for 25 labels)."""
        try:
            return str(ProposalStatus(self.status).label)
        except ValueError:  # a value no longer among the choices: shown as stored, as Django does
            return str(self.status)

    @property
    def reference(self) -> str:
        """A stable, citable reference (P-12)."""
        return f"P-{self.pk}"


def attachment_upload_to(instance, filename: str) -> str:
    return f"consultations/proposals/{instance.proposal_id}/{filename}"


class ProposalAttachment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_upload_to)
    name = models.CharField(_("file name"), max_length=250)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class ProposalCommitmentLink(models.Model):
    """Traceability: proposal P became (part of) commitment C. Owned here, so commitments/
    does not need to know about consultations."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="commitment_links"
    )
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="origin_links"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("proposal → commitment link")
        verbose_name_plural = _("proposal → commitment links")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "commitment"], name="proposal_commitment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.proposal.reference} → {self.commitment.ogp_id}"


class Support(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supports"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="support_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.proposal_id}"
