"""How input shaped the plan (issue #15, item 5): a selector over the plan's ledger.

`plan_influence(plan)` reads, with a fixed number of aggregate queries whatever the number of
inputs: counts by kind, channel and decision; the flow input kind → decision → commitment;
and each commitment with the inputs it came from (the commitments a published response
shaped, and the proposals linked to a commitment by ProposalCommitmentLink), at most
`INPUTS_PER_COMMITMENT` listed per commitment with the total. The influence page, its CSV and
the charts read through it, so they agree.

Only public entries count, and a decision counts once its response is published: a draft or
a response in review is "awaiting a response".
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from commitments.models import Commitment
from consultations.choices import InputChannel, InputKind, ResponseDecision
from consultations.models import InputEntry
from plans.models import ActionPlan

INPUTS_PER_COMMITMENT = 10
AWAITING = "awaiting"
ANSWERED = "answered"  # a published response without a decision (a lead's monitoring answer)


def decision_label(code: str) -> str:
    if code == AWAITING:
        return _("Awaiting a response")
    if code == ANSWERED:
        return _("Answered")
    return str(ResponseDecision(code).label)


@dataclass
class CommitmentOrigins:
    commitment: Commitment
    total: int = 0
    entries: list[InputEntry] = field(default_factory=list)


@dataclass
class Influence:
    plan: ActionPlan
    total: int
    by_kind: list[tuple[str, str, int]]  # (code, label, count)
    by_channel: list[tuple[str, str, int]]
    by_decision: list[tuple[str, str, int]]
    kind_to_decision: list[tuple[str, str, int]]  # (kind, decision, count)
    decision_to_commitment: list[tuple[str, int, int]]  # (decision, commitment pk, count)
    commitments: list[CommitmentOrigins]


def _decision_code(decision: str | None, published: bool) -> str:
    if not published:
        return AWAITING
    return decision or ANSWERED


def _entries(plan: ActionPlan) -> QuerySet[InputEntry]:
    return InputEntry.objects.public().filter(plan=plan)


def plan_influence(plan: ActionPlan) -> Influence:
    """Everything the influence page shows (7 queries whatever the size of the ledger)."""
    entries = _entries(plan)
    published = Q(response__published_at__isnull=False)
    kind_decision: dict[tuple[str, str], int] = defaultdict(int)
    rows = (
        entries.values("kind", "response__decision")
        .annotate(n=Count("pk"), answered=Count("pk", filter=published))
        .order_by()
    )
    for row in rows:
        if row["answered"]:
            kind_decision[(row["kind"], row["response__decision"] or ANSWERED)] += row["answered"]
        if row["n"] > row["answered"]:
            kind_decision[(row["kind"], AWAITING)] += row["n"] - row["answered"]
    by_kind_counts: dict[str, int] = defaultdict(int)
    by_decision_counts: dict[str, int] = defaultdict(int)
    for (kind, code), n in kind_decision.items():
        by_kind_counts[kind] += n
        by_decision_counts[code] += n
    channel_counts = dict(
        entries.values("channel").annotate(n=Count("pk")).order_by().values_list("channel", "n")
    )
    decision_order = [*ResponseDecision.values, ANSWERED, AWAITING]
    # Decision → commitment: published responses and the commitments they shaped, plus
    # proposals linked to a commitment by hand (ProposalCommitmentLink) when their response
    # names no commitment.
    shaped = (
        entries.filter(published, response__commitments__isnull=False)
        .values("response__decision", commitment_pk=F("response__commitments"))
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    to_commitment: dict[tuple[str, int], int] = defaultdict(int)
    for row in shaped:
        code = _decision_code(row["response__decision"], True)
        to_commitment[(code, row["commitment_pk"])] += row["n"]
    commitments = list(
        Commitment.objects.filter(plan=plan)
        .order_by("position", "ogp_id")
        .only("pk", "ogp_id", "title", "plan_id", "position")
    )
    origins = _origins(plan, commitments)
    return Influence(
        plan=plan,
        total=sum(by_kind_counts.values()),
        by_kind=[(k, str(InputKind(k).label), by_kind_counts[k]) for k in InputKind.values],
        by_channel=[
            (c, str(InputChannel(c).label), channel_counts.get(c, 0)) for c in InputChannel.values
        ],
        by_decision=[
            (c, decision_label(c), by_decision_counts[c])
            for c in decision_order
            if by_decision_counts.get(c) or c in ResponseDecision.values or c == AWAITING
        ],
        kind_to_decision=sorted(
            ((k, d, n) for (k, d), n in kind_decision.items() if n),
            key=lambda t: (InputKind.values.index(t[0]), decision_order.index(t[1])),
        ),
        decision_to_commitment=sorted(
            ((d, c, n) for (d, c), n in to_commitment.items() if n),
            key=lambda t: (decision_order.index(t[0]), t[1]),
        ),
        commitments=origins,
    )


def _origins(plan: ActionPlan, commitments: list[Commitment]) -> list[CommitmentOrigins]:
    """Each commitment with the inputs it came from: the entries whose published response
    shaped it, and proposals linked to it by hand (ProposalCommitmentLink). Three queries:
    the (commitment, entry) pairs of each path as bare numbers, then the few entries listed."""
    by_pk = {c.pk: CommitmentOrigins(commitment=c) for c in commitments}
    entries = _entries(plan)
    pairs = entries.filter(
        response__published_at__isnull=False, response__commitments__plan=plan
    ).values_list("response__commitments", "pk")
    linked = entries.filter(proposal__commitment_links__commitment__plan=plan).values_list(
        "proposal__commitment_links__commitment", "pk"
    )
    members: dict[int, set[int]] = defaultdict(set)
    for commitment_pk, entry_pk in (*pairs, *linked):
        members[commitment_pk].add(entry_pk)
    listed: dict[int, list[int]] = {}
    for commitment_pk, entry_pks in members.items():
        if commitment_pk in by_pk:
            by_pk[commitment_pk].total = len(entry_pks)
            listed[commitment_pk] = sorted(entry_pks)[:INPUTS_PER_COMMITMENT]
    wanted = {pk for pks in listed.values() for pk in pks}
    loaded = InputEntry.objects.select_related("response", "organisation").in_bulk(wanted)
    for commitment_pk, pks in listed.items():
        by_pk[commitment_pk].entries = [loaded[pk] for pk in pks if pk in loaded]
    return [by_pk[c.pk] for c in commitments]
