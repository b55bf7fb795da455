"""Vital signs of co-creation, counted from public records only (published plans, public
inputs, published responses). JSON-ready: codes, not labels (charts.py translates)."""

import datetime as dt
from collections import defaultdict
from statistics import median
from typing import Any

from django.db.models import Count, DateField, Min, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate, TruncWeek
from django.utils import timezone

from commitments.choices import CommitmentStatus
from commitments.models import Commitment
from consultations.models import Consultation, InputEntry
from plans.choices import DRAFT_STATUSES, PUBLIC_CONTENT_STATUSES
from plans.models import ActionPlan, PlanInfluence

# IRM scores that count as ambitious / as high completion (ogp-domain.md §1.10).
AMBITIOUS = {"substantial", "transformative"}
HIGH_COMPLETION = {"substantial", "complete"}
# Time to a published response, in days: (upper bound, code).
RESPONSE_BUCKETS = ((14, "2w"), (30, "1m"), (90, "3m"), (None, "later"))
AWAITING = "awaiting"
ANSWERED = "answered"


def public_plans(member_id: int | None) -> QuerySet[ActionPlan]:
    plans = ActionPlan.objects.exclude(status__in=DRAFT_STATUSES)
    return plans.filter(member_id=member_id) if member_id else plans


def public_entries(member_id: int | None) -> QuerySet[InputEntry]:
    entries = InputEntry.objects.public().exclude(plan__status__in=DRAFT_STATUSES)
    return entries.filter(plan__member_id=member_id) if member_id else entries


def _influence_levels(plan_ids: list[int]) -> dict[int, str]:
    """The self-assessed level of public influence during co-creation, where recorded
    (plans.PlanInfluence)."""
    rows = PlanInfluence.objects.filter(plan_id__in=plan_ids).values_list(
        "plan_id", "co_creation_level"
    )
    return {pk: level for pk, level in rows if level}


def _pct(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def plan_rows(member_id: int | None) -> list[dict[str, Any]]:
    """Each public plan: influence, ambition and completion (IRM where imported, else the
    portal's own completion)."""
    plans = list(
        public_plans(member_id)
        .select_related("member")
        .order_by("member__name", "sequence_no")
        .values("pk", "title", "sequence_no", "member__name", "status", "period_start")
    )
    ids = [p["pk"] for p in plans]
    influence = _influence_levels(ids)
    stats: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # Commitments count only once the plan shows them (a draft's are not public).
    rows = Commitment.objects.filter(
        plan_id__in=ids, plan__status__in=PUBLIC_CONTENT_STATUSES
    ).values_list("plan_id", "status", "irm_assessment")
    for plan_id, status, irm in rows.iterator(chunk_size=2000):
        s = stats[plan_id]
        irm = irm or {}
        potential = irm.get("irm_potential_for_results") or irm.get("legacy_potential_impact")
        if potential:
            s["assessed"] += 1
            s["ambitious"] += str(potential).strip().lower() in AMBITIOUS
        completion = irm.get("irm_completion")
        if completion:
            s["irm_done_of"] += 1
            s["irm_done"] += str(completion).strip().lower() in HIGH_COMPLETION
        if status != CommitmentStatus.WITHDRAWN:
            s["counted"] += 1
            s["complete"] += status == CommitmentStatus.COMPLETE
    out = []
    for p in plans:
        s = stats[p["pk"]]
        irm_completion = s["irm_done_of"] > 0
        out.append(
            {
                "plan": p["pk"],
                "label": f"{p['member__name']}: {p['title']}" if not member_id else p["title"],
                "influence": influence.get(p["pk"], ""),
                "ambition": _pct(s["ambitious"], s["assessed"]),
                "completion": _pct(s["irm_done"], s["irm_done_of"])
                if irm_completion
                else _pct(s["complete"], s["counted"]),
                "completion_source": "irm" if irm_completion else "portal",
                "commitments": s["counted"],
                "start": p["period_start"].isoformat(),
            }
        )
    return out


def _week(value: dt.datetime | dt.date) -> str:
    day = value.date() if isinstance(value, dt.datetime) else value
    return (day - dt.timedelta(days=day.weekday())).isoformat()


def participation(member_id: int | None) -> dict[str, Any]:
    """Inputs per week per consultation, and first-time participants per week (a participant
    is an organisation, or a person speaking for themselves). An input counts on the day it
    was received (a letter from March typed into the ledger in May is March's), the day it
    was recorded when nobody said."""
    entries = public_entries(member_id).annotate(
        day=Coalesce("received_on", TruncDate("created_at"), output_field=DateField())
    )
    weekly = (
        entries.annotate(week=TruncWeek("day", output_field=DateField()))
        .values("week", "consultation_id")
        .annotate(n=Count("pk"))
        .order_by("week", "consultation_id")
    )
    per_week: list[list[Any]] = [
        [_week(r["week"]), r["consultation_id"], r["n"]] for r in weekly if r["week"]
    ]
    consultation_ids = {c for _w, c, _n in per_week if c}
    titles = dict(Consultation.objects.filter(pk__in=consultation_ids).values_list("pk", "title"))
    firsts: dict[str, int] = defaultdict(int)
    for row in (
        entries.filter(organisation__isnull=False)
        .values("organisation_id")
        .annotate(first=Min("day"))
    ):
        firsts[_week(row["first"])] += 1
    for row in (
        entries.filter(organisation__isnull=True, author__isnull=False)
        .values("author_id")
        .annotate(first=Min("day"))
    ):
        firsts[_week(row["first"])] += 1
    return {
        "weekly": per_week,
        "consultations": {str(k): v for k, v in titles.items()},
        "first_time": sorted(firsts.items()),
    }


def _decision_code(decision: str | None, published: bool) -> str:
    if not published:
        return AWAITING
    return decision or ANSWERED


def inputs_and_responses(member_id: int | None) -> dict[str, Any]:
    entries = public_entries(member_id)
    by_kind = dict(entries.values_list("kind").annotate(n=Count("pk")).order_by())
    by_channel = dict(entries.values_list("channel").annotate(n=Count("pk")).order_by())
    decisions: dict[str, int] = defaultdict(int)
    published = Q(response__published_at__isnull=False)
    for row in (
        entries.values("response__decision")
        .annotate(n=Count("pk"), answered=Count("pk", filter=published))
        .order_by()
    ):
        if row["answered"]:
            decisions[_decision_code(row["response__decision"], True)] += row["answered"]
        if row["n"] - row["answered"]:
            decisions[AWAITING] += row["n"] - row["answered"]
    delays: list[float] = []
    buckets: dict[str, int] = defaultdict(int)
    for created, received, answered in (
        entries.filter(published)
        .values_list("created_at", "received_on", "response__published_at")
        .iterator(chunk_size=5000)
    ):
        if answered is None:
            continue
        days = max((answered - created).total_seconds() / 86400, 0.0)
        if received and received < timezone.localdate(created):
            # Received before it was recorded (a letter typed in later): the wait began then.
            days = max(float((timezone.localdate(answered) - received).days), 0.0)
        delays.append(days)
        for bound, code in RESPONSE_BUCKETS:
            if bound is None or days <= bound:
                buckets[code] += 1
                break
    buckets[AWAITING] = decisions.get(AWAITING, 0)
    return {
        "total": sum(by_kind.values()),
        "by_kind": by_kind,
        "by_channel": by_channel,
        "by_decision": dict(decisions),
        "response_time": dict(buckets),
        "median_days": round(median(delays)) if delays else None,
    }
