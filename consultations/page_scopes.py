"""Which cached public pages a write to a consultations model changes (core.page_cache)."""

from ogp_portal.core import page_cache

from .models import (
    Comment,
    Flag,
    InputCluster,
    InputEntry,
    Proposal,
    ProposalAttachment,
    ProposalCommitmentLink,
    ProposalCosponsor,
    ReminderSignup,
    Support,
)


def comment_scopes(comment: Comment) -> tuple[str, ...]:
    scopes = [f"consultation:{comment.consultation_id}"] if comment.consultation_id else []
    if comment.proposal_id:
        scopes.append(f"proposal:{comment.proposal_id}")
    if comment.commitment_id:
        scopes.append("site")
    return tuple(scopes)


def proposal_scopes(proposal: Proposal) -> tuple[str, ...]:
    scopes = [f"consultation:{proposal.consultation_id}", f"proposal:{proposal.pk}"]
    if proposal.merged_into_id:  # listed on the page of the proposal it was merged into
        scopes.append(f"proposal:{proposal.merged_into_id}")
    return tuple(scopes)


def proposal_part_scopes(
    part: ProposalAttachment | ProposalCommitmentLink | ProposalCosponsor,
) -> tuple[str, ...]:
    return ("site", f"proposal:{part.proposal_id}")


def ledger_scopes(row: InputEntry | InputCluster) -> tuple[str, ...]:
    """An input or a cluster shows on its plan's ledger pages only."""
    return (f"ledger:{row.plan_id}",)


def ledger_page_scopes(kwargs: dict) -> list[str]:
    """What a page over a plan's ledger reads (its list, its influence page): the entries and
    clusters (an input or cluster saved changes ledger:<plan>, a bulk write of them every
    plan's ledger, "ledger"), and site-wide rows: the plan, responses, organisations, areas."""
    return ["site", "ledger", f"ledger:{kwargs['plan_pk']}"]


# What a bulk write (QuerySet.update, bulk_create) of a model changes, when it is less than
# the whole site: the ledger's rows show on the plans' influence pages only.
BULK_SCOPES: dict[type, tuple[str, ...]] = {
    InputEntry: ("ledger",),
    InputCluster: ("ledger",),
}

SCOPES: dict[type, page_cache.ModelScopes] = {
    Comment: comment_scopes,
    Proposal: proposal_scopes,
    InputEntry: ledger_scopes,
    InputCluster: ledger_scopes,
    ProposalAttachment: proposal_part_scopes,
    ProposalCommitmentLink: proposal_part_scopes,
    # A coalition shows on the proposal and on each co-sponsor's page (and in lists).
    ProposalCosponsor: proposal_part_scopes,
    # Support: consultations.services.proposals calls changed() itself.
    Support: page_cache.no_scopes,
    Flag: page_cache.no_scopes,
    ReminderSignup: page_cache.no_scopes,
}
