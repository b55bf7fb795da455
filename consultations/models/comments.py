"""Comments on proposals and commitments, their flags, and reminder sign-ups."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from commitments.models import Commitment
from consultations.choices import ModerationState

from .proposals import Proposal
from .windows import Consultation


class Comment(models.Model):
    """A comment on a proposal or on a draft commitment, with one level of replies.

    A comment without a consultation is a monitoring comment: posted on a commitment's
    progress between the plan's adoption and its end (no window is open then); the
    commitment lead's reply to it is marked `is_lead_answer`.
    """

    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
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
    # The commitment lead's public answer to a monitoring comment (a reply to it).
    # db_default too: bulk loaders that write rows by raw SQL (seed_scale) need not know it.
    is_lead_answer = models.BooleanField(
        _("answer of the commitment lead"), default=False, db_default=False
    )
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
            # Outside a consultation window only commitments are commented on (monitoring).
            models.CheckConstraint(
                condition=Q(consultation__isnull=False) | Q(commitment__isnull=False),
                name="comment_monitoring_on_commitment",
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
    def is_monitoring(self) -> bool:
        return self.consultation_id is None

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
