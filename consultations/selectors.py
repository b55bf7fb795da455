"""Reads that span the consultation's models: the consultation report.

`consultation_report(consultation)` is the one place the report is read: its summary figures
(input by channel and sector, decisions by kind), every published proposal with its decision
and linked commitments, and the guiding questions with their answers. The report page, its
CSV, the PDF export and the open-data decisions file all read through it, so they agree.

Every figure is an aggregate computed by the database (COUNT … GROUP BY), never a loop over
loaded rows, so the report makes the same queries for 20 or 200,000 proposals (issue #7).
"""

import time
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext

from consultations.choices import (
    DECISIONS,
    Channel,
    ModerationState,
    ProposalStatus,
    SubmitterType,
)
from consultations.models import (
    Answer,
    Comment,
    Consultation,
    GuidingQuestion,
    OfflineEvent,
    Proposal,
    ProposalCommitmentLink,
)
from consultations.services.offline import SECTORS
from ogp_portal.organisations.choices import ACTING_KINDS, MembershipStatus
from ogp_portal.organisations.models import OrganisationMembership
from ogp_portal.organisations.rules import organisation_refusal

# Above this many published proposals the report's counts (GROUP BYs over every proposal and
# comment: about 2 s at 200,000 proposals and 2,000,000 comments) are kept in the cache for
# REPORT_COUNTS_TTL seconds, so the public report stays fast however many people read it; they
# may then lag the live list by that long. Smaller consultations are always counted live.
REPORT_COUNTS_LIVE_UP_TO = 1000
REPORT_COUNTS_TTL = 60

# Proposals by submitter type, decided proposals by decision, answers, comments.
ReportCounts = tuple[dict[str, int], dict[str, int], int, int]


def _count_report_inputs(consultation: Consultation) -> ReportCounts:
    published = Proposal.objects.published().filter(consultation=consultation).order_by()
    submitted_as = dict.fromkeys(SubmitterType.values, 0)
    submitted_as.update(published.values_list("submitter_type").annotate(n=Count("pk")))
    # A proposal counts as decided once its reasoned response is published.
    by_decision = dict(
        published.filter(response__published_at__isnull=False)
        .values_list("response__decision")
        .annotate(n=Count("pk"))
    )
    answers_count = Answer.objects.filter(question__consultation=consultation).count()
    comments_count = Comment.objects.filter(
        consultation=consultation,
        moderation_state=ModerationState.PUBLISHED,
        deleted_at__isnull=True,
    ).count()
    return submitted_as, by_decision, answers_count, comments_count


def _report_counts(consultation: Consultation, *, live: bool = False) -> ReportCounts:
    if live:
        return _count_report_inputs(consultation)
    key = f"consultations:report-counts:{consultation.pk}"
    cached: ReportCounts | None = cache.get(key)
    if cached is not None:
        return cached
    published = Proposal.objects.published().filter(consultation=consultation).order_by()
    large = published.values("pk")[REPORT_COUNTS_LIVE_UP_TO : REPORT_COUNTS_LIVE_UP_TO + 1]
    if not large.exists():
        return _count_report_inputs(consultation)
    # One request counts while the others wait for its result (a crowd arriving at once
    # would otherwise run the same two-second count in every thread and time out).
    if not cache.add(f"{key}:counting", True, 30):
        for _attempt in range(50):
            time.sleep(0.1)
            cached = cache.get(key)
            if cached is not None:
                return cached
    counts = _count_report_inputs(consultation)
    cache.set(key, counts, REPORT_COUNTS_TTL)
    cache.delete(f"{key}:counting")
    return counts


def consultation_figures_for_report(
    consultation: Consultation, *, live: bool = False
) -> dict[str, Any]:
    """Input by channel and sector, and the published decisions by kind (`live`: never from
    the cache, so the counts agree with the list read in the same breath)."""
    submitted_as, by_decision, answers_count, comments_count = _report_counts(
        consultation, live=live
    )
    proposals_count = sum(submitted_as.values())
    events = list(OfflineEvent.objects.filter(consultation=consultation).order_by("held_on", "pk"))
    sector_codes = [code for code, _label in SECTORS]
    sector_labels = [label for _code, label in SECTORS]
    channel_labels = dict(Channel.choices)
    offline_totals = [0] * len(sector_codes)
    for event in events:
        counts = [int(event.participants_by_sector.get(code) or 0) for code in sector_codes]
        offline_totals = [total + n for total, n in zip(offline_totals, counts, strict=True)]
        # Read by the report's rows; attributes of this read, not fields of the model.
        event.channel_label = channel_labels.get(event.channel, event.channel)  # type: ignore[attr-defined]
        event.sector_counts = counts  # type: ignore[attr-defined]
        # (label, count) pairs: the page's stacked rows on a phone label every count.
        event.sector_cells = list(zip(sector_labels, counts, strict=True))  # type: ignore[attr-defined]
    by_channel: list[dict[str, Any]] = [
        {
            "label": Channel.ONLINE.label,
            "events": None,
            "inputs": proposals_count + answers_count + comments_count,
            "participants": None,
        }
    ]
    for channel in (Channel.IN_PERSON, Channel.WORKSHOP):
        mine = [e for e in events if e.channel == channel]
        by_channel.append(
            {
                "label": channel.label,
                "events": len(mine),
                "inputs": None,
                "participants": sum(e.participant_count for e in mine),
            }
        )
    decision_labels = dict(ProposalStatus.choices)
    return {
        "proposals_count": proposals_count,
        "proposals_decided": sum(by_decision.values()),
        "proposals_undecided": proposals_count - sum(by_decision.values()),
        # The decisions that close a proposal, in their usual order, unused ones with 0.
        "by_decision": [
            (decision_labels.get(code, code), by_decision.get(code, 0))
            for code in [*DECISIONS, *(code for code in by_decision if code not in DECISIONS)]
        ],
        "answers_count": answers_count,
        "comments_count": comments_count,
        "by_channel": by_channel,
        "by_sector": [(label, submitted_as[code]) for code, label in SubmitterType.choices],
        "events": events,
        "sectors": [label for _code, label in SECTORS],
        "offline_by_sector": [
            (label, total) for (_code, label), total in zip(SECTORS, offline_totals, strict=True)
        ],
    }


def report_proposals(
    consultations: Consultation | QuerySet[Consultation],
    *,
    decided_only: bool = False,
    commitment_links: QuerySet[ProposalCommitmentLink] | None = None,
) -> QuerySet[Proposal]:
    """The published proposals of one consultation (or of a queryset of them), oldest first,
    each with its response, organisation and linked commitments (ordered by OGP ID) loaded.

    `decided_only` keeps those whose reasoned response is published (the open-data decisions
    file); `commitment_links` narrows the linked commitments shown (open data lists public
    commitments only). Lazy: the page paginates it, the CSV iterates it in chunks."""
    links = commitment_links
    if links is None:
        links = ProposalCommitmentLink.objects.select_related("commitment").order_by(
            "commitment__ogp_id"
        )
    if isinstance(consultations, Consultation):
        proposals = Proposal.objects.published().filter(consultation=consultations)
    else:
        proposals = Proposal.objects.published().filter(consultation__in=consultations)
    if decided_only:
        proposals = proposals.filter(response__published_at__isnull=False)
    return (
        proposals.select_related("response", "organisation")
        .prefetch_related(Prefetch("commitment_links", queryset=links))
        .order_by("pk")
    )


def report_commitment_ids(consultation: Consultation) -> dict[int, list[str]]:
    """The OGP ids of the commitments each published proposal of the consultation shaped, by
    proposal id, ordered by OGP id: one query however many proposals there are (the CSV
    streams 200,000 proposals; a prefetch per chunk of them was one query per 500 rows)."""
    ids: dict[int, list[str]] = {}
    links = (
        ProposalCommitmentLink.objects.filter(
            proposal__in=Proposal.objects.published().filter(consultation=consultation)
        )
        .order_by("commitment__ogp_id")
        .values_list("proposal_id", "commitment__ogp_id")
    )
    for proposal_id, ogp_id in links:
        ids.setdefault(proposal_id, []).append(ogp_id)
    return ids


def report_questions(consultation: Consultation) -> QuerySet[GuidingQuestion]:
    """The guiding questions in their order, each with every answer (and its response)."""
    return (
        GuidingQuestion.objects.filter(consultation=consultation)
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("response", "organisation").order_by(
                    "created_at", "pk"
                ),
            )
        )
        .order_by("position", "pk")
    )


@dataclass(frozen=True)
class ConsultationReport:
    """The consultation report, read lazily: each reader pays only for what it shows (the
    CSV reads no figures, the page one page of proposals)."""

    consultation: Consultation
    live: bool = False

    @cached_property
    def figures(self) -> dict[str, Any]:
        """Input by channel and sector, decisions by kind, offline events (aggregates)."""
        return consultation_figures_for_report(self.consultation, live=self.live)

    @property
    def proposals(self) -> QuerySet[Proposal]:
        """Every published proposal with its decision and commitments, oldest first."""
        return report_proposals(self.consultation)

    @property
    def questions(self) -> QuerySet[GuidingQuestion]:
        """The guiding questions with their answers."""
        return report_questions(self.consultation)


def consultation_report(consultation: Consultation, *, live: bool = False) -> ConsultationReport:
    """The consultation report for the page, the CSV, the PDF and open data (see above).

    `live=True` counts without the cache: the PDF is an archived document made in a job, so its
    counts must agree with its own list even for a large consultation."""
    return ConsultationReport(consultation, live=live)


@dataclass(frozen=True)
class ActingRow:
    """A published proposal whose organisation its author may not speak for, and why."""

    proposal: Proposal
    reason: str


def proposal_unqualified_organisations_for_secretariat(limit: int = 500) -> list[ActingRow]:
    """Published proposals submitted on behalf of an organisation that does not qualify under
    organisations.rules.acting_refusal today (of a government kind, unverified, of another
    member, or the author no longer an approved member), newest first, at most `limit`.

    The database narrows to the suspect rows; the reason is written by the same rule the
    proposal form and proposal_save use, so the list and the refusals agree."""
    is_member = OrganisationMembership.objects.filter(
        user_id=OuterRef("author_id"),
        organisation_id=OuterRef("organisation_id"),
        status=MembershipStatus.APPROVED,
    )
    suspect = (
        Proposal.objects.published()
        .filter(organisation__isnull=False)
        .annotate(author_is_member=Exists(is_member))
        .filter(
            Q(organisation__verified_at__isnull=True)
            | ~Q(organisation__kind__in=list(ACTING_KINDS))
            | Q(organisation__member_id__isnull=True)
            | ~Q(organisation__member_id=F("consultation__plan__member_id"))
            | Q(author_is_member=False)
        )
        .select_related(
            "organisation", "organisation__member", "author", "consultation__plan__member"
        )
        .order_by("-submitted_at", "-pk")[:limit]
    )
    rows = []
    for proposal in suspect:
        organisation = proposal.organisation
        if organisation is None:  # filtered above; for the type checker
            continue
        reason = organisation_refusal(organisation, proposal.consultation.plan.member_id)
        if not reason:
            reason = gettext("The author is not an approved member of %(org)s.") % {
                "org": organisation.name
            }
        rows.append(ActingRow(proposal=proposal, reason=reason))
    return rows


def drafts_of(user: Any, consultation: Consultation) -> list[Proposal]:
    """The person's saved, unsubmitted proposals in this consultation, newest first (shown
    only to their author, on the consultation page and the proposal list)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        consultation.proposals.filter(author=user, status=ProposalStatus.DRAFT)
        .only("pk", "title", "updated_at")
        .order_by("-updated_at")
    )
