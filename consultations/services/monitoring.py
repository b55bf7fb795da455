"""Monitoring during implementation (OGP: the public follows and comments on how commitments
are carried out). From the plan's adoption to its end date, anyone with a verified account may
comment on a commitment's progress, outside any consultation window; the commitment lead
answers publicly with a reply marked as the lead's answer. Moderation is the same as for
other comments (consultations/services/comments.py hides and restores them)."""

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commitments.models import Commitment
from consultations.choices import InputChannel, InputKind, ResponseStatus
from consultations.models import Comment, InputEntry, ReasonedResponse
from consultations.text import render_user_text
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.organisations.access import access_for
from ogp_portal.users.models import User
from plans.choices import PlanStatus
from plans.models import ActionPlan

from .comments import (
    _clean_body,
    _notify_reply,
    _require_below_limit,
    post_once,
)
from .ledger import excerpt

# The plan's stages during which its commitments are being carried out.
MONITORED_STATUSES = (PlanStatus.ADOPTED, PlanStatus.IMPLEMENTATION)


class MonitoringClosed(DomainError):
    """A monitoring comment outside the plan's implementation period."""


def monitoring_refusal(plan: ActionPlan, today: dt.date | None = None) -> str:
    """Why the public may not comment on the plan's commitments now ("" when they may):
    from the plan's adoption to its end date (in the member's time zone)."""
    if today is None:
        today = timezone.localdate(timezone=plan.member.zone)
    if plan.status in MONITORED_STATUSES and today <= plan.period_end:
        return ""
    if plan.status in MONITORED_STATUSES or plan.status in (PlanStatus.ENDED, PlanStatus.ARCHIVED):
        return _(
            "This plan's implementation period ended on %(date)s; comments on its progress "
            "are closed."
        ) % {"date": date_format(plan.period_end, "DATE_FORMAT")}
    return _(
        "Comments on a commitment's progress open when the plan is adopted; "
        "until then, comment during the plan's consultation windows."
    )


def require_monitoring_open(plan: ActionPlan, today: dt.date | None = None) -> None:
    refusal = monitoring_refusal(plan, today)
    if refusal:
        raise MonitoringClosed(refusal)


def may_answer_as_lead(user: User, commitment: Commitment) -> bool:
    """The commitment lead (or a civil servant of the plan's member) answers monitoring
    comments for the government; the rule lives in consultations/rules.py."""
    return user.has_perm("consultations.answer_monitoring", commitment)


def monitoring_comment_post(
    commitment: Commitment,
    *,
    actor: User,
    body: str,
    parent: Comment | None = None,
    show_name: bool = True,
    token: str | None = None,
) -> Comment:
    """Comment on a commitment's progress (a comment without a consultation), or reply to one.

    Preconditions: the plan is adopted or in implementation and its end date has not passed
    (MonitoringClosed otherwise); the actor has a verified e-mail address; the per-account
    rate limit. A reply by the commitment lead to a top-level comment is the lead's public
    answer (`is_lead_answer`), recorded in the audit trail. The same form sent twice makes
    one comment (`token`).
    """
    plan = commitment.plan
    require_monitoring_open(plan)
    if not access_for(actor).email_verified:
        raise DomainError(_("Sign in with a verified e-mail address to take part."))
    body = _clean_body(body)
    replied_to = parent
    if parent is not None:
        if parent.parent is not None:
            parent = parent.parent  # one level of replies, as for every comment
        if parent.commitment_id != commitment.pk or parent.consultation_id is not None:
            raise DomainError(_("A reply must stay in the same discussion."))
    is_answer = parent is not None and may_answer_as_lead(actor, commitment)
    create = partial(
        _create_monitoring_comment,
        commitment,
        actor=actor,
        body=body,
        parent=parent,
        replied_to=replied_to,
        show_name=show_name or is_answer,  # the government answers in its own name
        is_answer=is_answer,
        token=token,
    )
    return post_once(actor, token, create)


def _create_monitoring_comment(
    commitment: Commitment,
    *,
    actor: User,
    body: str,
    parent: Comment | None,
    replied_to: Comment | None,
    show_name: bool,
    is_answer: bool,
    token: str | None,
) -> Comment:
    with transaction.atomic():
        _require_below_limit(actor)  # held until the commit; before the Markdown
        comment = Comment.objects.create(
            consultation=None,
            commitment=commitment,
            parent=parent,
            author=actor,
            show_name=show_name,
            body=body,
            body_html=render_user_text(body),
            is_lead_answer=is_answer,
            submission_token=token or None,
        )
        if parent is None:
            _enter_in_ledger(comment, commitment)
        elif is_answer:
            _answer_in_ledger(parent, comment)
            record_event(
                actor,
                "consultations.monitoring_comment.answered",
                parent,
                answer=comment.pk,
                commitment=commitment.ogp_id,
            )
        if replied_to is not None:
            _notify_reply(comment, replied_to)
    return comment


def _enter_in_ledger(comment: Comment, commitment: Commitment) -> InputEntry:
    """A top-level monitoring comment is an input of the plan (kind monitoring)."""
    return InputEntry.objects.create(
        plan_id=commitment.plan_id,
        consultation=None,
        kind=InputKind.MONITORING,
        channel=InputChannel.ONLINE,
        comment=comment,
        commitment=commitment,
        author=comment.author,
        policy_area_id=commitment.policy_area_id,
        title=excerpt(comment.body),
        text=comment.body,
        received_on=timezone.localdate(comment.created_at),
    )


def _answer_in_ledger(question: Comment, answer: Comment) -> None:
    """The lead's answer is the published response of the comment's ledger entry (the first
    answer; later ones are part of the public thread). A monitoring answer takes no decision
    on the plan, so its response carries none: the ledger shows it as "answered"."""
    entry = InputEntry.objects.filter(comment=question, response__isnull=True).first()
    if entry is None:
        return
    now = timezone.now()
    response = ReasonedResponse.objects.create(
        plan_id=entry.plan_id,
        consultation=None,
        status=ResponseStatus.PUBLISHED,
        decision="",
        reason=answer.body,
        responder=answer.author,
        reviewed_by=answer.author,
        reviewed_at=now,
        published_at=now,
    )
    InputEntry.objects.filter(pk=entry.pk, response__isnull=True).update(response=response)
