"""The ledger of public input: one entry per piece of input a plan received, whatever its
kind or channel, with the reasoned response that answers it (issue #15).

An entry mirrors its source (a proposal, an answer, a comment) or holds input typed in by
staff (a paper form, a phone call, a workshop contribution, a forum meeting). Several entries
may share one response: that is how a group (cluster) of inputs is answered.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from consultations.choices import InputChannel, InputKind
from ogp_portal.organisations.models import Organisation
from plans.models import ActionPlan, PolicyArea

from .comments import Comment
from .proposals import Proposal, ReasonedResponse
from .windows import Answer, Consultation, OfflineEvent


class InputCluster(models.Model):
    """Inputs on the same topic (near-duplicates, campaign copies) that staff confirmed as one
    group; one response may answer all of them. Filled by the clustering job."""

    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="input_clusters", verbose_name=_("plan")
    )
    label = models.CharField(_("label"), max_length=250)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("input cluster")
        verbose_name_plural = _("input clusters")

    def __str__(self) -> str:
        return self.label


class InputEntryQuerySet(models.QuerySet):
    def public(self) -> "InputEntryQuerySet":
        """What anyone may read: entries whose source is public (no hidden or deleted
        comments; drafts never get an entry)."""
        return self.filter(is_public=True)

    def counted(self) -> "InputEntryQuerySet":
        """The entries the adoption gate and MR 4.1 count: every public input."""
        return self.filter(is_public=True)

    def answered(self) -> "InputEntryQuerySet":
        """Entries whose response is published (a draft or one in review does not count)."""
        return self.filter(response__published_at__isnull=False)

    def unanswered(self) -> "InputEntryQuerySet":
        return self.exclude(response__published_at__isnull=False)


class InputEntry(models.Model):
    plan = models.ForeignKey(
        ActionPlan, on_delete=models.CASCADE, related_name="input_entries", verbose_name=_("plan")
    )
    consultation = models.ForeignKey(
        Consultation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="input_entries",
        verbose_name=_("consultation"),
    )
    kind = models.CharField(_("kind of input"), max_length=20, choices=InputKind.choices)
    channel = models.CharField(
        _("channel"), max_length=20, choices=InputChannel.choices, default=InputChannel.ONLINE
    )
    # The source row, for online input; staff-typed input has none.
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="ledger_entry"
    )
    answer = models.OneToOneField(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="ledger_entry"
    )
    comment = models.OneToOneField(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="ledger_entry"
    )
    offline_event = models.ForeignKey(
        OfflineEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="input_entries",
        verbose_name=_("recorded at the event"),
    )
    # Where a staff-typed input came from when no row here describes it (a forum meeting:
    # forums sits above consultations, so it is named and linked, not referenced).
    source_label = models.CharField(_("source"), max_length=250, blank=True)
    source_url = models.CharField(_("source address"), max_length=500, blank=True)
    commitment = models.ForeignKey(
        Commitment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="input_entries",
        verbose_name=_("about the commitment"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("name (if given)"), max_length=250, blank=True)
    # Private: how staff can reach someone who wrote or phoned in; never shown publicly.
    contact = models.CharField(_("way to reach them (private)"), max_length=250, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    policy_area = models.ForeignKey(
        PolicyArea,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("policy area"),
    )
    title = models.CharField(_("title"), max_length=250)
    text = models.TextField(_("what was said"), blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.ForeignKey(
        ReasonedResponse,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
        verbose_name=_("response"),
    )
    cluster = models.ForeignKey(
        InputCluster,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entries",
        verbose_name=_("cluster"),
    )
    # Follows the source: a hidden or deleted comment is not public, nor counted.
    is_public = models.BooleanField(_("public"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = InputEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("input")
        verbose_name_plural = _("inputs")
        constraints = [
            models.CheckConstraint(
                condition=Q(contact="") | Q(proposal__isnull=True, answer__isnull=True),
                name="input_contact_only_for_typed_input",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "kind"], name="input_plan_kind"),
            models.Index(fields=["plan", "response"], name="input_plan_response"),
            models.Index(fields=["plan", "-created_at", "-id"], name="input_plan_order"),
            # The public ledger in its order: its count, page index and pages read this
            # index alone (no heap, no sort) however many inputs a plan has.
            models.Index(
                fields=["plan", "-created_at", "-id"],
                condition=Q(is_public=True),
                name="input_public_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("ledger:input-detail", args=[self.plan_id, self.pk])

    @property
    def reference(self) -> str:
        """A stable, citable reference (I-12)."""
        return f"I-{self.pk}"
