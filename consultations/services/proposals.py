"""Proposals: drafts, submission, review, decisions with reasoned responses, and support."""

import re
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments.models import Commitment
from consultations.choices import (
    DECISIONS,
    DECISIONS_WITH_COMMITMENT,
    RESPONSE_DECISION_OF_STATUS,
    ProposalStatus,
    ResponseStatus,
)
from consultations.models import (
    Consultation,
    InputEntry,
    Proposal,
    ProposalAttachment,
    ProposalCommitmentLink,
    ReasonedResponse,
    Support,
)
from consultations.page_scopes import proposal_scopes
from consultations.rules import may_take_part, refusal_message
from ogp_portal.core import page_cache
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.core.idempotency import create_once
from ogp_portal.core.notifications import notify
from ogp_portal.core.stored_files import StoredFiles, stored_files
from ogp_portal.organisations.choices import OrganisationKind
from ogp_portal.organisations.models import Organisation
from ogp_portal.organisations.rules import acting_refusal
from ogp_portal.users.models import User

from .ledger import entry_for_proposal
from .windows import require_open

PROPOSAL_FIELDS = (
    "title",
    "problem",
    "causes",
    "proposed_solution",
    "expected_results",
    "access_to_information",
    "civic_participation",
    "public_accountability",
    "technology_innovation",
    "policy_area",
    "suggested_lead_agency",
)


def _check_participant(user: User, consultation: Consultation) -> None:
    require_open(consultation)
    if not may_take_part(user, consultation):
        raise DomainError(refusal_message(user, consultation))


def _submitter_type(organisation: Organisation | None) -> str:
    if organisation is None:
        return "citizen"
    submitter_types: dict[str, str] = {
        OrganisationKind.CSO: "cso",
        OrganisationKind.ACADEMIA: "academia",
        OrganisationKind.PRIVATE_SECTOR: "private",
        OrganisationKind.GOVERNMENT_AGENCY: "government",
    }
    return submitter_types.get(organisation.kind, "cso")


def proposal_save(
    consultation: Consultation,
    *,
    actor: User,
    proposal: Proposal | None = None,
    submit: bool,
    token: str | None = None,
    organisation: Organisation | None = None,
    attachments: Iterable[UploadedFile] = (),
    **fields: Any,
) -> Proposal:
    """Save a draft (submit=False) or submit. A repeated submit with the same form token
    (double click, reload) returns the proposal already made instead of a second one.
    An attachment that cannot be stored raises FileStorageError (a DomainError) and saves
    nothing: no proposal without its files, no file without its proposal."""
    with stored_files() as files:
        save = partial(
            _proposal_save,
            actor,
            consultation,
            proposal=proposal,
            submit=submit,
            token=token,
            organisation=organisation,
            attachments=attachments,
            files=files,
            fields=fields,
        )
        if proposal is not None or not token:
            # A draft being edited: the token is its own. No token: nothing to find again (what
            # create_once would do too; returning here lets the look-up below take a str).
            return save()
        return create_once(
            token,
            Proposal,
            save,
            find=lambda: Proposal.objects.filter(submission_token=token, author=actor).first(),
        )


def _proposal_save(
    actor: User,
    consultation: Consultation,
    *,
    proposal: Proposal | None,
    submit: bool,
    token: str | None,
    organisation: Organisation | None,
    attachments: Iterable[UploadedFile],
    files: StoredFiles,
    fields: dict[str, Any],
) -> Proposal:
    """The writes of proposal_save, in one transaction (a duplicate token rolls all back)."""
    _check_participant(actor, consultation)
    if organisation is not None:
        refusal = acting_refusal(actor, organisation, consultation.plan.member_id)
        if refusal:
            raise DomainError(refusal)
    if proposal is not None and (proposal.author_id != actor.pk or proposal.status != "draft"):
        raise DomainError(_("Only your own drafts can be changed."))
    with transaction.atomic():
        proposal = proposal or Proposal(consultation=consultation, author=actor)
        if token and proposal.pk is None:
            proposal.submission_token = token
        proposal.organisation = organisation
        proposal.submitter_type = _submitter_type(organisation)
        for name in PROPOSAL_FIELDS:
            if name in fields:
                setattr(proposal, name, fields[name])
        if submit:
            proposal.status = ProposalStatus.SUBMITTED
            proposal.submitted_at = timezone.now()
        proposal.save()  # the same token saved a moment ago: create_once returns that one
        for upload in attachments:
            attachment = ProposalAttachment(
                proposal=proposal, name=(upload.name or "")[:250], size=upload.size or 0
            )
            files.save(attachment.file, upload)
            attachment.save()
        if submit:
            entry_for_proposal(proposal)  # every submitted proposal is in the plan's ledger
        record_event(
            actor,
            "consultations.proposal.submitted" if submit else "consultations.proposal.drafted",
            proposal,
        )
    return proposal


def proposal_start_review(proposal: Proposal, *, actor: User) -> Proposal:
    # Compare-and-set: of two clicks at once, only one moves the proposal (and is recorded).
    with page_cache.declared(Proposal, *proposal_scopes(proposal)):
        updated = Proposal.objects.filter(pk=proposal.pk, status=ProposalStatus.SUBMITTED).update(
            status=ProposalStatus.UNDER_REVIEW
        )
    if not updated:
        raise DomainError(_("Only a submitted proposal can be put under review."))
    proposal.status = ProposalStatus.UNDER_REVIEW
    record_event(
        actor, "consultations.proposal.under_review", proposal,
        from_state=ProposalStatus.SUBMITTED, to_state=ProposalStatus.UNDER_REVIEW,
    )  # fmt: skip
    return proposal


@transaction.atomic
def proposal_decide(
    proposal: Proposal,
    *,
    actor: User,
    decision: str,
    reason: str,
    merged_into: Proposal | None = None,
    commitments: Iterable[Commitment] = (),
) -> Proposal:
    """Decide on a proposal and publish the reasoned response; the proposer is notified."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in (ProposalStatus.SUBMITTED, ProposalStatus.UNDER_REVIEW):
        raise DomainError(_("This proposal has already been decided."))
    if decision not in DECISIONS:
        raise DomainError(_("Choose a decision."))
    if not reason.strip():
        raise DomainError(_("Every decision needs a written reasoned response."))
    if decision == ProposalStatus.MERGED:
        if merged_into is None or merged_into.pk == proposal.pk:
            raise DomainError(_("Choose the proposal this one is merged into."))
        if merged_into.consultation.plan_id != proposal.consultation.plan_id:
            raise DomainError(_("Proposals can only be merged within the same plan."))
    commitments = list(commitments)
    if decision in DECISIONS_WITH_COMMITMENT and not commitments:
        raise DomainError(_("Link the commitment(s) this proposal became."))
    plan_id = proposal.consultation.plan_id
    if any(c.plan_id != plan_id for c in commitments):
        raise DomainError(_("Link commitments of this consultation's plan only."))
    now = timezone.now()
    response = ReasonedResponse.objects.create(
        plan_id=plan_id,
        consultation=proposal.consultation,
        status=ResponseStatus.PUBLISHED,
        decision=RESPONSE_DECISION_OF_STATUS[ProposalStatus(decision)],
        reason=reason,
        responder=actor,
        reviewed_by=actor,
        reviewed_at=now,
        published_at=now,
    )
    response.commitments.set(commitments)
    from_state = proposal.status
    proposal.status = decision
    proposal.response = response
    proposal.merged_into = merged_into if decision == ProposalStatus.MERGED else None
    proposal.save(update_fields=["status", "response", "merged_into", "updated_at"])
    # The ledger shows the same published response (the entry exists for submitted proposals
    # since issue #15; older ones were back-filled).
    InputEntry.objects.filter(proposal=proposal).update(response=response)
    for commitment in commitments:
        ProposalCommitmentLink.objects.get_or_create(proposal=proposal, commitment=commitment)
    record_event(
        actor, "consultations.proposal.decided", proposal, reason=reason,
        from_state=from_state, to_state=decision,
        commitments=[c.ogp_id for c in commitments],
    )  # fmt: skip
    if proposal.author:
        notify(
            [proposal.author],
            "proposal.decided",
            gettext_lazy("A decision on your proposal"),
            "consultations/emails/proposal_decided.txt",
            {"proposal": proposal, "response": response, "commitments": commitments},
            target=proposal,
            url=proposal.get_absolute_url(),
        )
    return proposal


def support_add(proposal: Proposal, *, actor: User) -> bool:
    """Support a proposal once. Returns False if the user already supported it. The count
    is kept by the database (F expression) next to a unique row, so concurrent clicks from
    many people add up exactly."""
    _check_participant(actor, proposal.consultation)
    if proposal.status == ProposalStatus.DRAFT:
        raise DomainError(_("A draft cannot be supported."))
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, user=actor)
            with page_cache.declared(Proposal, *proposal_scopes(proposal)):
                Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    except IntegrityError:
        return False
    return True


def support_remove(proposal: Proposal, *, actor: User) -> bool:
    require_open(proposal.consultation)
    with transaction.atomic():
        deleted, _rows = Support.objects.filter(proposal=proposal, user=actor).delete()
        if deleted:
            with page_cache.declared(Proposal, *proposal_scopes(proposal)):
                Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
    return bool(deleted)


# --- Similar proposals (a read; lives here until the app has a selectors module) ---
# Portable on SQLite and PostgreSQL, without the pg_trgm extension: fetch a bounded candidate
# set with icontains on the longest words of the title, then score in Python by shared words.
SIMILAR_CANDIDATES = 50
# fmt: off
_SHORT_WORDS = frozenset((
    "about", "after", "also", "because", "been", "being", "between", "could", "from", "have",
    "into", "more", "most", "other", "over", "should", "some", "such", "than", "that", "their",
    "them", "then", "there", "these", "they", "this", "those", "through", "under", "very",
    "what", "when", "where", "which", "while", "with", "would", "your",
    "avec", "dans", "entre", "leur", "leurs", "nous", "plus", "pour", "sans", "sont", "vous",
))
# fmt: on


def significant_words(text: str) -> set[str]:
    """Lower-cased words of four letters or more that carry meaning."""
    return {w for w in re.findall(r"\w{4,}", text.lower()) if w not in _SHORT_WORDS}


def similar_proposals(
    consultation: Consultation, text: str, *, exclude_pk: int | None = None, limit: int = 5
) -> list[Proposal]:
    """Up to `limit` published proposals of the same plan whose titles share the most
    significant words with `text` (one query over at most SIMILAR_CANDIDATES rows)."""
    words = significant_words(text)
    if not words:
        return []
    longest = sorted(words, key=lambda w: (-len(w), w))[:3]
    match = Q()
    for word in longest:
        match |= Q(title__icontains=word)
    candidates = (
        Proposal.objects.published()
        .filter(consultation__plan_id=consultation.plan_id)
        .filter(match)
        .exclude(pk=exclude_pk)
        .only("pk", "title", "status", "support_count")
        .order_by("-submitted_at", "-pk")[:SIMILAR_CANDIDATES]
    )
    scored: list[tuple[float, Proposal]] = []
    for proposal in candidates:
        shared = words & significant_words(proposal.title)
        if shared:
            scored.append((len(shared) / len(words | significant_words(proposal.title)), proposal))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].pk))
    return [proposal for _score, proposal in scored[:limit]]
