"""Comments with one level of replies, editing, deletion, flags and moderation."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.choices import ModerationState, ProposalStatus
from consultations.models import Comment, Flag, Proposal
from consultations.rules import may_take_part, refusal_message
from consultations.text import MAX_COMMENT_LENGTH, render_user_text
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError

from .windows import require_open

EDIT_WINDOW = timezone.timedelta(minutes=15)
# At most this many comments per account in the window below (per IP: in the view).
MAX_COMMENTS_PER_ACCOUNT = 10
RATE_WINDOW = timezone.timedelta(minutes=5)


class RateLimited(DomainError):
    pass


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise DomainError(_("Write a comment first."))
    if len(body) > MAX_COMMENT_LENGTH:
        raise DomainError(
            _("Comments are limited to %(max)s characters; yours has %(n)s.")
            % {"max": MAX_COMMENT_LENGTH, "n": len(body)}
        )
    return body


def comment_post(
    user, consultation, *, body: str, proposal=None, commitment=None, parent=None, show_name=True
) -> Comment:
    """Post a comment (or a reply to a top-level comment) while the window is open."""
    require_open(consultation)
    if not may_take_part(user, consultation):
        raise DomainError(refusal_message(user, consultation))
    if proposal is not None and (
        proposal.consultation_id != consultation.pk or proposal.status == ProposalStatus.DRAFT
    ):
        raise DomainError(_("Comments go on submitted proposals of this consultation."))
    if commitment is not None and commitment.plan_id != consultation.plan_id:
        raise DomainError(_("Comments go on commitments of this consultation's plan."))
    body = _clean_body(body)
    recent = Comment.objects.filter(
        author=user, created_at__gte=timezone.now() - RATE_WINDOW
    ).count()
    if recent >= MAX_COMMENTS_PER_ACCOUNT:
        raise RateLimited(_("You are posting very fast; please wait a few minutes."))
    if parent is not None:
        if parent.parent_id is not None:
            parent = parent.parent  # one level of replies: answer the thread's first comment
        if (parent.proposal_id, parent.commitment_id) != (
            getattr(proposal, "pk", None),
            getattr(commitment, "pk", None),
        ):
            raise DomainError(_("A reply must stay in the same discussion."))
    with transaction.atomic():
        comment = Comment.objects.create(
            consultation=consultation,
            proposal=proposal,
            commitment=commitment,
            parent=parent,
            author=user,
            show_name=show_name,
            body=body,
            body_html=render_user_text(body),
        )
        if proposal is not None:
            Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    return comment


def comment_edit(user, comment: Comment, body: str) -> Comment:
    if comment.author_id != user.pk or comment.deleted_at:
        raise DomainError(_("Only your own comments can be edited."))
    if timezone.now() - comment.created_at > EDIT_WINDOW:
        raise DomainError(_("Comments can be edited for 15 minutes after posting."))
    require_open(comment.consultation)
    body = _clean_body(body)
    comment.body, comment.body_html, comment.edited_at = (
        body,
        render_user_text(body),
        timezone.now(),
    )
    comment.save(update_fields=["body", "body_html", "edited_at"])
    return comment


def comment_delete(user, comment: Comment) -> Comment:
    """The text goes; a placeholder keeps the thread readable."""
    if comment.author_id != user.pk:
        raise DomainError(_("Only your own comments can be deleted."))
    if comment.deleted_at:
        return comment
    with transaction.atomic():
        comment.body = comment.body_html = ""
        comment.deleted_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "deleted_at"])
        if comment.proposal_id:
            Proposal.objects.filter(pk=comment.proposal_id, comment_count__gt=0).update(
                comment_count=F("comment_count") - 1
            )
    return comment


def comment_flag(user, comment: Comment, reason: str) -> Flag:
    if not reason.strip():
        raise DomainError(_("Say what is wrong with this comment."))
    flag, _created = Flag.objects.get_or_create(
        comment=comment, user=user, defaults={"reason": reason[:500]}
    )
    return flag


@transaction.atomic
def comment_hide(moderator, comment: Comment, reason: str) -> Comment:
    """Hide a comment with a published reason; the act is recorded."""
    if not reason.strip():
        raise DomainError(_("Hiding a comment needs a reason; it is shown in its place."))
    comment.moderation_state = ModerationState.HIDDEN
    comment.hidden_reason = reason
    comment.save(update_fields=["moderation_state", "hidden_reason"])
    Flag.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    record_event(moderator, "consultations.comment.hidden", comment, reason=reason)
    return comment


@transaction.atomic
def comment_restore(moderator, comment: Comment, reason: str = "") -> Comment:
    comment.moderation_state = ModerationState.PUBLISHED
    comment.hidden_reason = ""
    comment.save(update_fields=["moderation_state", "hidden_reason"])
    Flag.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    record_event(moderator, "consultations.comment.restored", comment, reason=reason)
    return comment


@transaction.atomic
def comment_dismiss_flags(moderator, comment: Comment, reason: str = "") -> Comment:
    """Keep a flagged comment as it is: its open flags are resolved and the decision recorded."""
    resolved = Flag.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    record_event(
        moderator, "consultations.comment.flags_dismissed", comment, reason=reason, flags=resolved
    )
    return comment
