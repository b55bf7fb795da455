"""Reconsideration of a response (issue #15, item 4): the input's author asks once, within
settings.OGP_RECONSIDERATION_DAYS of the response's publication; staff answer publicly,
upholding or changing the decision. A changed decision updates the response (or, when the
response answers a whole cluster, gives this input a response of its own); the request keeps
the decision and reasoning it was about."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.choices import ResponseDecision, ResponseStatus
from consultations.models import (
    InputEntry,
    Proposal,
    ReasonedResponse,
    ReconsiderationOutcome,
    ReconsiderationRequest,
)
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.users.models import User

ASKED_ONCE = gettext_lazy(
    "A reconsideration of this response has already been asked for; it can be asked once."
)


def reconsideration_deadline(entry: InputEntry) -> dt.datetime | None:
    """Until when the author may ask (None: the input has no published response yet)."""
    response = entry.response
    if response is None or response.published_at is None:
        return None
    return response.published_at + dt.timedelta(days=settings.OGP_RECONSIDERATION_DAYS)


def reconsideration_refusal(entry: InputEntry, user: User | None = None) -> str:
    """Why the author may not ask now ("" when they may). The author check itself is the
    permission (consultations.request_reconsideration)."""
    deadline = reconsideration_deadline(entry)
    if deadline is None:
        return _("This input has no published response to reconsider yet.")
    if hasattr(entry, "reconsideration"):
        return str(ASKED_ONCE)
    if timezone.now() > deadline:
        return _(
            "Reconsideration can be asked for within %(days)s days of the response; "
            "that time ended on %(date)s."
        ) % {
            "days": settings.OGP_RECONSIDERATION_DAYS,
            "date": date_format(timezone.localtime(deadline), "DATE_FORMAT"),
        }
    return ""


@transaction.atomic
def reconsideration_request(
    entry: InputEntry, *, actor: User, reason: str
) -> ReconsiderationRequest:
    """Ask for the entry's response to be reconsidered.

    Preconditions: the actor wrote the input; the response is published; no request was
    made before (a unique constraint makes a double submit one request); within
    OGP_RECONSIDERATION_DAYS of publication. Records the decision asked about.
    """
    if entry.author_id != actor.pk:
        raise DomainError(_("Only the author of an input may ask for its reconsideration."))
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the decision should be reconsidered."))
    refusal = reconsideration_refusal(entry, actor)
    if refusal:
        raise DomainError(refusal)
    response = entry.response
    if response is None:  # reconsideration_refusal has said so; for the type checker
        raise DomainError(_("This input has no published response to reconsider yet."))
    try:
        with transaction.atomic():
            request = ReconsiderationRequest.objects.create(
                entry=entry,
                requested_by=actor,
                reason=reason,
                response=response,
                previous_decision=response.decision,
                previous_reason=response.reason,
            )
    except IntegrityError as error:
        raise DomainError(ASKED_ONCE) from error
    record_event(actor, "consultations.reconsideration.requested", entry, reason=reason)
    return request


@transaction.atomic
def reconsideration_answer(
    request: ReconsiderationRequest,
    *,
    actor: User,
    outcome: str,
    answer: str,
    decision: str = "",
) -> ReconsiderationRequest:
    """Answer a reconsideration in public: uphold the decision, or change it (`decision`).

    A changed decision updates the response when it answers this input alone; when it
    answers several (a cluster), this input gets a new published response with the new
    decision, the others keep theirs. The request keeps what the decision was. Answered
    once: a second answer is refused (compare-and-set on answered_at).
    """
    answer = answer.strip()
    if not answer:
        raise DomainError(_("The answer to a reconsideration needs its reasoning."))
    if outcome not in ReconsiderationOutcome.values:
        raise DomainError(_("Choose whether the decision is upheld or changed."))
    if outcome == ReconsiderationOutcome.CHANGED:
        if decision not in ResponseDecision.values:
            raise DomainError(_("Choose the new decision."))
        if decision == request.previous_decision:
            raise DomainError(_("The new decision is the one asked about; uphold it instead."))
    now = timezone.now()
    claimed = ReconsiderationRequest.objects.filter(pk=request.pk, answered_at__isnull=True).update(
        outcome=outcome, answer=answer, answered_by=actor, answered_at=now
    )
    if not claimed:
        raise DomainError(_("This reconsideration has already been answered."))
    if outcome == ReconsiderationOutcome.CHANGED:
        _change_decision(request.entry, decision=decision, reason=answer, actor=actor, now=now)
    request.refresh_from_db()
    record_event(
        actor,
        "consultations.reconsideration.answered",
        request.entry,
        reason=answer,
        outcome=outcome,
        from_decision=request.previous_decision,
        to_decision=decision or request.previous_decision,
    )
    return request


def _change_decision(
    entry: InputEntry, *, decision: str, reason: str, actor: User, now: dt.datetime
) -> None:
    response = entry.response
    if response is None:
        return
    shared = InputEntry.objects.filter(response=response).exclude(pk=entry.pk).exists()
    if not shared:
        ReasonedResponse.objects.filter(pk=response.pk).update(
            decision=decision, reason=reason, reviewed_by=actor, reviewed_at=now
        )
        if entry.proposal_id:  # the proposal's status follows its response's decision
            Proposal.objects.filter(pk=entry.proposal_id).update(status=decision)
        return
    own = ReasonedResponse.objects.create(
        plan_id=response.plan_id,
        consultation_id=response.consultation_id,
        status=ResponseStatus.PUBLISHED,
        decision=decision,
        reason=reason,
        responder=actor,
        reviewed_by=actor,
        reviewed_at=now,
        published_at=now,
    )
    own.commitments.set(response.commitments.all())
    InputEntry.objects.filter(pk=entry.pk).update(response=own)
    if entry.proposal_id:
        Proposal.objects.filter(pk=entry.proposal_id).update(status=decision, response=own)
