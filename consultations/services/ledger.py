"""The ledger of inputs: the entry every input gets, in the same transaction as the input
itself, and the inputs staff type in (paper, phone, workshop, e-mail, forum meetings)."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from commitments.models import Commitment
from consultations.choices import TYPED_CHANNELS, InputChannel, InputKind, ModerationState
from consultations.models import (
    Answer,
    Comment,
    Consultation,
    InputEntry,
    OfflineEvent,
    Proposal,
)
from ogp_portal.core import page_cache
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.users.models import User
from plans.models import ActionPlan, PolicyArea

# Once a plan is adopted its co-creation input is closed: later input is monitoring.
from .windows import CLOSED_TO_INPUT

TYPED_KINDS = (InputKind.OFFLINE, InputKind.FORUM)


def excerpt(text: str, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def entry_for_proposal(proposal: Proposal) -> InputEntry:
    """The entry of a submitted proposal (made once; called inside the submit transaction)."""
    consultation = proposal.consultation
    entry, _created = InputEntry.objects.get_or_create(
        proposal=proposal,
        defaults={
            "plan_id": consultation.plan_id,
            "consultation": consultation,
            "kind": InputKind.PROPOSAL,
            "channel": InputChannel.ONLINE,
            "author_id": proposal.author_id,
            "organisation_id": proposal.organisation_id,
            "policy_area_id": proposal.policy_area_id,
            "title": proposal.title[:250],
            "text": proposal.proposed_solution or proposal.problem,
            "received_on": (proposal.submitted_at or proposal.created_at).date(),
            "response_id": proposal.response_id,
        },
    )
    return entry


def entry_for_answer(answer: Answer) -> InputEntry:
    consultation = answer.question.consultation
    entry, _created = InputEntry.objects.get_or_create(
        answer=answer,
        defaults={
            "plan_id": consultation.plan_id,
            "consultation": consultation,
            "kind": InputKind.ANSWER,
            "channel": InputChannel.ONLINE,
            "author_id": answer.author_id,
            "organisation_id": answer.organisation_id,
            "title": excerpt(answer.body),
            "text": answer.body,
            "received_on": answer.created_at.date(),
            "response_id": answer.response_id,
        },
    )
    return entry


def entry_for_comment(comment: Comment) -> InputEntry | None:
    """Top-level comments on the draft plan's commitments are inputs; replies and comments
    on proposals are discussion (the proposal itself is the input)."""
    if comment.commitment_id is None or comment.parent_id is not None:
        return None
    consultation = comment.consultation
    if consultation is None:  # a monitoring comment: services/monitoring.py enters it
        return None
    entry, _created = InputEntry.objects.get_or_create(
        comment=comment,
        defaults={
            "plan_id": consultation.plan_id,
            "consultation": consultation,
            "kind": InputKind.COMMENT,
            "channel": InputChannel.ONLINE,
            "author_id": comment.author_id,
            "commitment_id": comment.commitment_id,
            "title": excerpt(comment.body),
            "text": comment.body,
            "received_on": comment.created_at.date(),
        },
    )
    return entry


def entry_follow_comment(comment: Comment) -> None:
    """A hidden or deleted comment leaves the public ledger (and the count); restored, it
    comes back. The entry keeps no text the comment no longer shows."""
    is_public = comment.moderation_state == ModerationState.PUBLISHED and not comment.deleted_at
    fields: dict[str, object] = {"is_public": is_public}
    if comment.deleted_at:
        fields.update(title=_("(deleted)"), text="")
    # A monitoring comment (during implementation) has no consultation: its commitment's plan.
    target = comment.consultation or comment.commitment
    ledger = [f"ledger:{target.plan_id}"] if target is not None else []
    with page_cache.declared(InputEntry, *ledger):  # only this plan's ledger shows the entry
        InputEntry.objects.filter(comment=comment).update(**fields)


@transaction.atomic
def input_record(
    plan: ActionPlan,
    *,
    actor: User,
    kind: str = InputKind.OFFLINE,
    channel: str,
    text: str,
    received_on: dt.date,
    title: str = "",
    author_name: str = "",
    contact: str = "",
    consultation: Consultation | None = None,
    offline_event: OfflineEvent | None = None,
    policy_area: PolicyArea | None = None,
    commitment: Commitment | None = None,
    source_label: str = "",
    source_url: str = "",
) -> InputEntry:
    """Record one input staff received outside the portal: a paper form, a phone call, an
    e-mail, one person's contribution at a workshop, or a point raised at a forum or
    working-group meeting (forums calls this with kind="forum").

    Preconditions: a typed kind and channel, some text, a plan not yet adopted (after
    adoption input is monitoring), consultation, event, area and commitment of this plan
    (DomainError otherwise). Effects: one public entry (the contact stays private), one
    audit event."""
    if kind not in TYPED_KINDS:
        raise DomainError(_("Only offline and meeting input is typed in by staff."))
    if channel not in TYPED_CHANNELS:
        raise DomainError(_("Choose how the input reached you."))
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write down what was said."))
    if plan.status in CLOSED_TO_INPUT:
        raise DomainError(
            _("This plan has been adopted; input on it can no longer be added to its ledger.")
        )
    if consultation is not None and consultation.plan_id != plan.pk:
        raise DomainError(_("Choose a consultation of this plan."))
    if offline_event is not None:
        consultation = consultation or offline_event.consultation
        if offline_event.consultation.plan_id != plan.pk:
            raise DomainError(_("Choose an event of this plan."))
    for related in (policy_area, commitment):
        if related is not None and related.plan_id != plan.pk:
            raise DomainError(_("Choose a policy area or commitment of this plan."))
    entry = InputEntry.objects.create(
        plan=plan,
        consultation=consultation,
        kind=kind,
        channel=channel,
        offline_event=offline_event,
        policy_area=policy_area,
        commitment=commitment,
        author_name=author_name.strip()[:250],
        contact=contact.strip()[:250],
        title=(title.strip() or excerpt(text))[:250],
        text=text,
        received_on=received_on,
        recorded_by=actor,
        source_label=source_label[:250],
        source_url=source_url[:500],
    )
    record_event(
        actor, "consultations.input.recorded", entry, plan=plan.pk, kind=kind, channel=channel
    )
    return entry
