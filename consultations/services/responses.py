"""Reasoned responses to ledger entries: drafted, put in review, published. One response may
answer one input or many (a selection on the ledger page, or a cluster); only a published
response counts (for the public, for MR 4.1 and for the adoption gate)."""

from collections.abc import Iterable
from typing import cast

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.models import Commitment
from consultations.choices import ProposalStatus, ResponseDecision, ResponseStatus
from consultations.models import (
    Answer,
    InputEntry,
    Proposal,
    ProposalCommitmentLink,
    ReasonedResponse,
)
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.core.notifications import Event, notify_many
from ogp_portal.users.models import User
from plans.models import ActionPlan

# Notification kind: a response to inputs you gave is published (registered in apps.py).
INPUT_ANSWERED = "input.answered"
EDITABLE = (ResponseStatus.DRAFT, ResponseStatus.IN_REVIEW)
# Proposals still waiting for a decision take the decision of the response published to them.
UNDECIDED = (ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW)


def _check_answerable(plan: ActionPlan, entries: list[InputEntry]) -> None:
    if not entries:
        raise DomainError(_("Select the inputs this response answers."))
    if any(e.plan_id != plan.pk for e in entries):
        raise DomainError(_("Select inputs of this plan only."))
    if any(e.response is not None and e.response.published_at for e in entries):
        raise DomainError(
            _("Some of these inputs already have a published response; select them again.")
        )


@transaction.atomic
def response_draft(
    plan: ActionPlan,
    *,
    actor: User,
    entries: Iterable[InputEntry],
    decision: str,
    reason: str,
    commitments: Iterable[Commitment] = (),
) -> ReasonedResponse:
    """Draft one response to the selected inputs of `plan`.

    Preconditions: at least one entry, all of this plan and none with a published response;
    a decision and a written reason; commitments of this plan (DomainError otherwise).
    Effects: a draft response (not public, does not count) that the entries now point at
    (replacing an earlier draft of theirs); one audit event."""
    entries = list(
        InputEntry.objects.filter(pk__in=[e.pk for e in entries]).select_related("response")
    )
    _check_answerable(plan, entries)
    if decision not in ResponseDecision.values:
        raise DomainError(_("Choose a decision."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Every decision needs a written reasoned response."))
    commitments = list(commitments)
    if any(c.plan_id != plan.pk for c in commitments):
        raise DomainError(_("Link commitments of this plan only."))
    consultations = {e.consultation_id for e in entries}
    response = ReasonedResponse.objects.create(
        plan=plan,
        consultation_id=consultations.pop() if len(consultations) == 1 else None,
        status=ResponseStatus.DRAFT,
        decision=decision,
        reason=reason,
        responder=actor,
    )
    response.commitments.set(commitments)
    ids = [e.pk for e in entries]
    claimed = InputEntry.objects.filter(pk__in=ids).unanswered().update(response=response)
    if claimed != len(ids):
        raise DomainError(
            _("Some of these inputs got a published response meanwhile; select them again.")
        )
    record_event(
        actor, "consultations.response.drafted", response, plan=plan.pk,
        to_state=ResponseStatus.DRAFT, decision=decision, entries=ids,
    )  # fmt: skip
    return response


@transaction.atomic
def response_submit_for_review(response: ReasonedResponse, *, actor: User) -> ReasonedResponse:
    """Draft → in review (compare-and-set: of two clicks, one moves it)."""
    updated = ReasonedResponse.objects.filter(pk=response.pk, status=ResponseStatus.DRAFT).update(
        status=ResponseStatus.IN_REVIEW
    )
    if not updated:
        raise DomainError(_("Only a draft response can be sent for review."))
    response.status = ResponseStatus.IN_REVIEW
    record_event(
        actor, "consultations.response.submitted_for_review", response,
        from_state=ResponseStatus.DRAFT, to_state=ResponseStatus.IN_REVIEW,
    )  # fmt: skip
    return response


@transaction.atomic
def response_publish(response: ReasonedResponse, *, actor: User) -> ReasonedResponse:
    """Publish a draft or reviewed response: from now on it is public and counts.

    Effects: the response is published (reviewer and time recorded); the proposals it answers
    that were still undecided take its decision and link the commitments it shaped; the
    answers it covers point at it; one audit event. DomainError if it was published already
    or has no input left."""
    from_state = response.status
    now = timezone.now()
    if not InputEntry.objects.filter(response=response).exists():
        raise DomainError(_("This response answers no input; select the inputs again."))
    updated = ReasonedResponse.objects.filter(pk=response.pk, status__in=EDITABLE).update(
        status=ResponseStatus.PUBLISHED, published_at=now, reviewed_by=actor, reviewed_at=now
    )
    if not updated:
        raise DomainError(_("This response has already been published."))
    response.refresh_from_db()
    entries = InputEntry.objects.filter(response=response)
    proposal_ids = list(
        entries.filter(proposal__isnull=False).values_list("proposal_id", flat=True)
    )
    answer_ids = list(entries.filter(answer__isnull=False).values_list("answer_id", flat=True))
    Answer.objects.filter(pk__in=answer_ids).update(response=response)
    Proposal.objects.filter(pk__in=proposal_ids).update(response=response)
    Proposal.objects.filter(pk__in=proposal_ids, status__in=UNDECIDED).update(
        status=response.decision, updated_at=now
    )
    commitments = list(response.commitments.all())
    ProposalCommitmentLink.objects.bulk_create(
        [
            ProposalCommitmentLink(proposal_id=p, commitment=c)
            for p in proposal_ids
            for c in commitments
        ],
        ignore_conflicts=True,
    )
    record_event(
        actor, "consultations.response.published", response, reason=response.reason,
        from_state=from_state, to_state=ResponseStatus.PUBLISHED, decision=response.decision,
        entries=list(entries.values_list("pk", flat=True)),
    )  # fmt: skip
    _notify_authors(response)
    return response


def _notify_authors(response: ReasonedResponse) -> None:
    """One notification per author of the inputs `response` answers (not one per input),
    naming each author's own inputs; staff-typed inputs have no account to tell."""
    by_author: dict[int, tuple[User, list[InputEntry]]] = {}
    entries = (
        InputEntry.objects.filter(response=response, author__isnull=False)
        .select_related("author")
        .order_by("pk")
    )
    for entry in entries:
        author = cast(User, entry.author)  # filtered on author__isnull=False
        by_author.setdefault(author.pk, (author, []))[1].append(entry)
    url = reverse("ledger:response-detail", args=[response.plan_id, response.pk])
    commitments = list(response.commitments.order_by("ogp_id"))
    notify_many(
        [
            Event(
                [author],
                INPUT_ANSWERED,
                gettext_lazy("A response to your input"),
                "consultations/emails/input_answered.txt",
                {
                    "response": response,
                    "entries": mine[:20],
                    "count": len(mine),
                    "commitments": commitments,
                    "url": url,
                },
                target=response,
                url=url,
            )  # fmt: skip
            for author, mine in by_author.values()
        ]
    )


def _check_editable(response: ReasonedResponse) -> None:
    if response.published_at is not None or response.status not in EDITABLE:
        raise DomainError(_("A published response can no longer be changed."))


@transaction.atomic
def response_edit(
    response: ReasonedResponse,
    *,
    actor: User,
    decision: str,
    reason: str,
    commitments: Iterable[Commitment] = (),
) -> ReasonedResponse:
    """Change the decision, reasoning or commitments of a response not yet published.

    Preconditions: the response is a draft or in review (compare-and-set: a response
    published meanwhile is refused), a decision and a written reason, commitments of its
    plan (DomainError otherwise). Effects: the new text; one audit event with the old and
    new decision."""
    _check_editable(response)
    if decision not in ResponseDecision.values:
        raise DomainError(_("Choose a decision."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Every decision needs a written reasoned response."))
    commitments = list(commitments)
    if any(c.plan_id != response.plan_id for c in commitments):
        raise DomainError(_("Link commitments of this plan only."))
    old_decision = response.decision
    updated = ReasonedResponse.objects.filter(
        pk=response.pk, status__in=EDITABLE, published_at__isnull=True
    ).update(decision=decision, reason=reason)
    if not updated:
        raise DomainError(_("A published response can no longer be changed."))
    response.refresh_from_db()
    response.commitments.set(commitments)
    record_event(
        actor, "consultations.response.edited", response, reason=reason,
        from_decision=old_decision, decision=decision,
        commitments=[c.ogp_id for c in commitments],
    )  # fmt: skip
    return response


@transaction.atomic
def response_withdraw(response: ReasonedResponse, *, actor: User) -> list[InputEntry]:
    """Withdraw a response not yet published: its inputs are unanswered again and the draft
    is deleted (the audit event keeps its decision, reasoning and inputs).

    Preconditions: a draft or one in review (DomainError otherwise). Returns the inputs it
    answered."""
    _check_editable(response)
    entries = list(InputEntry.objects.filter(response=response).order_by("pk"))
    # Claim the response first: of a publish and a withdrawal racing, one wins.
    claimed = ReasonedResponse.objects.filter(
        pk=response.pk, status__in=EDITABLE, published_at__isnull=True
    ).update(status=ResponseStatus.DRAFT)
    if not claimed:
        raise DomainError(_("A published response can no longer be changed."))
    InputEntry.objects.filter(response=response).update(response=None)
    record_event(
        actor, "consultations.response.withdrawn", response, reason=response.reason,
        from_state=response.status, decision=response.decision,
        entries=[e.pk for e in entries],
    )  # fmt: skip
    response.delete()
    return entries
