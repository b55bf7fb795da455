"""Consultation windows, the input they collect (proposals, answers, comments, offline events)
and the reasoned responses the government publishes to every input."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.models import Organisation
from plans.models import ActionPlan, PolicyArea, insider_member_ids

from .choices import (
    Audience,
    ConsultationKind,
    ModerationState,
    ProposalStatus,
    SubmitterType,
    WindowState,
)


class ConsultationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConsultationQuerySet":
        """Announced consultations (notice published) of visible plans for everyone; the
        member's insiders also see those still being prepared."""
        plans = ActionPlan.objects.visible_to(user)
        if access_for(user).is_secretariat:
            return self.filter(plan__in=plans)
        return self.filter(plan__in=plans).filter(
            Q(notice_published_at__isnull=False) | Q(plan__member_id__in=insider_member_ids(user))
        )

    def open_at(self, moment) -> "ConsultationQuerySet":
        return self.filter(opens_at__lte=moment, closes_at__gt=moment)


class Consultation(models.Model):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="consultations", verbose_name=_("plan")
    )
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=30, choices=ConsultationKind.choices)
    audience = models.CharField(
        _("who may take part"),
        max_length=20,
        choices=Audience.choices,
        default=Audience.VERIFIED_USERS,
    )
    description = models.TextField(_("what we are asking and why"))
    channels = models.JSONField(_("channels"), default=list, blank=True)
    notice_published_at = models.DateTimeField(_("notice published at"), null=True, blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    summary_published_at = models.DateTimeField(_("report published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="consultation_closes_after_opening",
            )
        ]
        indexes = [
            # The reminder scans: windows opening, closing soon, or closed some days ago.
            models.Index(fields=["closes_at"], name="consultation_closes_at"),
            models.Index(fields=["opens_at"], name="consultation_opens_at"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:consultation-detail", args=[self.pk])

    def window_state(self, moment=None) -> str:
        """Computed from the times, never stored: nothing has to open or close on time."""
        moment = moment or timezone.now()
        if moment < self.opens_at:
            return WindowState.SCHEDULED
        if moment < self.closes_at:
            return WindowState.OPEN
        return WindowState.CLOSED

    @property
    def is_open(self) -> bool:
        return self.window_state() == WindowState.OPEN


class ConsultationDocument(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=250)
    file = models.FileField(_("file"), upload_to="consultations/documents/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("consultation document")
        verbose_name_plural = _("consultation documents")

    def __str__(self) -> str:
        return self.title


class ReasonedResponse(models.Model):
    """The government's published answer to one proposal, or to a group of similar answers."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    decision = models.CharField(_("decision"), max_length=30, choices=ProposalStatus.choices)
    reason = models.TextField(_("reasoned response"))
    responder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("reasoned response")
        verbose_name_plural = _("reasoned responses")

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.reason[:60]}"


class GuidingQuestion(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="questions"
    )
    text = models.TextField(_("question"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["consultation", "position", "pk"]
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")

    def __str__(self) -> str:
        return self.text[:80]


class Answer(models.Model):
    question = models.ForeignKey(GuidingQuestion, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("answer"))
    response = models.ForeignKey(
        ReasonedResponse,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answers",
        help_text=_("One response may cover a group of similar answers."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["question", "created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.body[:80]


class OfflineEvent(models.Model):
    """An in-person meeting or workshop staff record, so offline voices count too."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="offline_events"
    )
    channel = models.CharField(_("channel"), max_length=20)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=250)
    participants_by_sector = models.JSONField(_("participants by sector"), default=dict)
    summary = models.TextField(_("summary of what was said"))
    minutes = models.FileField(_("minutes"), upload_to="consultations/minutes/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("offline event")
        verbose_name_plural = _("offline events")

    def __str__(self) -> str:
        return f"{self.held_on} {self.place}"

    @property
    def participant_count(self) -> int:
        return sum(int(n) for n in self.participants_by_sector.values())


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
    response = models.OneToOneField(
        ReasonedResponse,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal",
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


class Comment(models.Model):
    """A comment on a proposal or on a draft commitment, with one level of replies."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="comments"
    )
    show_name = models.BooleanField(
        _("show my name"),
        default=False,
        help_text=_("Otherwise you appear as “a participant”; the record keeps your account."),
    )
    body = models.TextField(_("comment"))
    body_html = models.TextField(editable=False)
    moderation_state = models.CharField(
        max_length=20, choices=ModerationState.choices, default=ModerationState.PUBLISHED
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    created_at = models.DateTimeField(_("posted at"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True)
    # Sent with the form: the same form posted twice (double click, a retry after "busy")
    # makes one comment. NULL (not "") without a token, so such comments never collide in
    # the unique constraint.
    submission_token = models.CharField(  # noqa: DJ001
        max_length=64, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=(Q(proposal__isnull=False) & Q(commitment__isnull=True))
                | (Q(proposal__isnull=True) & Q(commitment__isnull=False)),
                name="comment_has_one_target",
            ),
            models.UniqueConstraint(
                fields=["author", "submission_token"], name="comment_submitted_once"
            ),
        ]
        indexes = [
            # A thread page: the top-level comments of one target in posting order.
            models.Index(
                fields=["proposal", "created_at", "id"],
                condition=Q(parent__isnull=True),
                name="comment_proposal_thread",
            ),
            models.Index(
                fields=["commitment", "created_at", "id"],
                condition=Q(parent__isnull=True),
                name="comment_commitment_thread",
            ),
            # The per-account posting limit counts one person's recent comments.
            models.Index(fields=["author", "created_at"], name="comment_author_recent"),
        ]

    def __str__(self) -> str:
        return self.body[:60]

    @property
    def commented_on(self) -> "Proposal | Commitment":
        """The proposal or the commitment the comment is on (the comment_has_one_target
        constraint makes it exactly one of them)."""
        target = self.proposal or self.commitment
        if target is None:
            raise ValueError(f"Comment {self.pk} has neither a proposal nor a commitment.")
        return target


class Flag(models.Model):
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("why"), max_length=500)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [
            models.UniqueConstraint(fields=["comment", "user"], name="flag_once_per_user")
        ]

    def __str__(self) -> str:
        return self.reason[:60]


class ReminderSignup(models.Model):
    """Someone asked to be told when a consultation opens (sent by the reminder jobs)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="reminder_signups"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sign-up")
        verbose_name_plural = _("reminder sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.consultation_id}"
