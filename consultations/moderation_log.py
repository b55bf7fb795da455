"""The public moderation log of a consultation: which comments were hidden, restored or kept
after flags, when, why, and in which role the moderator acted (never their name).

Read from the audit trail (the moderation services write one event per decision), so the log
and the evidence cannot disagree.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ogp_portal.core.models import AuditEvent
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.models import RoleGrant

from .models import Comment, Consultation

ACTIONS: dict[str, Promise] = {
    "consultations.comment.hidden": _("Comment hidden"),
    "consultations.comment.restored": _("Comment restored"),
    "consultations.comment.flags_dismissed": _("Comment kept after flags"),
}


@dataclass(frozen=True)
class ModerationEntry:
    at: datetime
    action: Promise
    comment: Comment | None
    reason: str
    role: Promise


def moderation_log_for_consultation(consultation: Consultation) -> list[ModerationEntry]:
    """Every moderation decision on the consultation's comments, newest first (3 queries)."""
    comment_ids = (
        Comment.objects.filter(consultation=consultation)
        .annotate(pk_text=Cast("pk", CharField()))
        .values("pk_text")
    )
    events = list(
        AuditEvent.objects.filter(
            target_type="consultations.comment",
            target_id__in=comment_ids,
            action__in=ACTIONS,
        ).order_by("-created_at", "-pk")
    )
    comments = Comment.objects.select_related("proposal").in_bulk(
        [int(e.target_id) for e in events]
    )
    secretariat_ids = set(
        RoleGrant.objects.filter(
            user_id__in={e.actor_id for e in events if e.actor_id}, role=Role.SECRETARIAT
        ).values_list("user_id", flat=True)
    )
    return [
        ModerationEntry(
            at=event.created_at,
            action=ACTIONS[event.action],
            comment=comments.get(int(event.target_id)),
            reason=event.reason,
            role=Role.SECRETARIAT.label
            if event.actor_id in secretariat_ids
            else Role.MODERATOR.label,
        )
        for event in events
    ]
