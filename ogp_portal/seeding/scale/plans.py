"""Action plans along each member's calendar, their policy areas, commitments, milestones
(with deadlines before, around and long after today) and progress updates."""

import datetime as dt
from typing import Any

from commitments.choices import CommitmentStatus, MilestoneStatus
from commitments.models import Commitment, Milestone, ProgressUpdate
from commitments.services import derived_status
from forums.dates import add_months
from plans.choices import PlanStatus
from plans.models import ActionPlan, PolicyArea

from . import text
from .context import Context, Plan

# Plans that have commitments (from drafting on).
WITH_COMMITMENTS = (
    PlanStatus.DRAFTING,
    PlanStatus.DRAFT_PUBLIC_COMMENT,
    PlanStatus.REASONED_RESPONSE,
    PlanStatus.ADOPTED,
    PlanStatus.IMPLEMENTATION,
    PlanStatus.ENDED,
    PlanStatus.ARCHIVED,
)
BENCH_PLAN_SIZES = (150, 50, 10)
NEXT_PLAN_STATUSES = (
    PlanStatus.PLANNING,
    PlanStatus.NOTICE,
    PlanStatus.CO_CREATION,
    PlanStatus.CO_CREATION,
    PlanStatus.DRAFTING,
    PlanStatus.DRAFT_PUBLIC_COMMENT,
)


def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _plan_counts(ctx: Context, rng) -> list[int]:
    members = len(ctx.members)
    counts = [2] * members
    for _ in range(ctx.sizes.plans - 2 * members):
        counts[rng.randrange(members)] += 1
    return counts


def make_plans(ctx: Context) -> None:
    rng = ctx.rng("plans")
    counts = _plan_counts(ctx, rng)
    first = ctx.writer.reserve_ids(ActionPlan, sum(counts))
    pk = first
    for member, count in zip(ctx.members, counts, strict=True):
        # Member 0 always prepares its next plan: the big consultation collects ideas for it.
        has_next = member.index == 0 or rng.random() < 0.4
        years = [4 if member.is_national and rng.random() < 0.2 else 2 for _ in range(count)]
        current = count - 2 if has_next else count - 1
        if has_next:
            end = ctx.today + dt.timedelta(days=rng.randint(40, 200))
            start = add_months(_first_of_month(end), -12 * years[current])
        else:
            start = _first_of_month(ctx.today - dt.timedelta(days=rng.randint(60, 600)))
        starts = {current: start}
        for index in range(current - 1, -1, -1):
            starts[index] = add_months(starts[index + 1], -12 * years[index])
        if has_next:
            starts[count - 1] = add_months(start, 12 * years[current])
        for index in range(count):
            begin = starts[index]
            finish = add_months(begin, 12 * years[index]) - dt.timedelta(days=1)
            if index == current:
                status = PlanStatus.IMPLEMENTATION
            elif index > current:
                status = (
                    PlanStatus.CO_CREATION if member.index == 0 else rng.choice(NEXT_PLAN_STATUSES)
                )
            elif finish < ctx.today - dt.timedelta(days=4 * 365):
                status = PlanStatus.ARCHIVED
            else:
                status = PlanStatus.ENDED
            plan = Plan(pk, member, index + 1, begin, finish, status)
            member.plans.append(plan)
            ctx.plans.append(plan)
            pk += 1
    _write_plans(ctx, rng)
    _make_policy_areas(ctx, rng)


def _write_plans(ctx: Context, rng) -> None:
    def rows():
        for plan in ctx.plans:
            area = text.topic(rng)
            numbers = {1: "First", 2: "Second", 3: "Third", 4: "Fourth", 5: "Fifth"}
            ordinal = numbers.get(plan.sequence_no, f"{plan.sequence_no}th")
            kind = "National" if plan.member.is_national else "Open Government"
            notice = (
                None
                if plan.status == PlanStatus.PLANNING
                else dt.datetime.combine(add_months(plan.start, -8), dt.time(9), tzinfo=dt.UTC)
            )
            created = dt.datetime.combine(add_months(plan.start, -10), dt.time(8), tzinfo=dt.UTC)
            yield (
                plan.pk, plan.member.pk, plan.sequence_no,
                f"{ordinal} {kind} Action Plan {plan.start.year}–{plan.end.year}",
                plan.start, plan.end, "2021" if plan.start.year >= 2022 else "2017",
                plan.status, plan.member.languages[0],
                text.paragraph(rng, area, text.PROBLEM, 2) + " " + text.solution(rng, area),
                text.paragraph(rng, area, text.CAUSES, 2),
                f"Ideas were collected online and in {rng.randint(3, 15)} regional workshops; "
                f"{rng.randint(40, 400)} proposals came in and every one received a response.",
                "Notice and timeline published; idea collection for six weeks; drafting with "
                "the forum; draft plan open for public comment; reasoned response published.",
                notice, 1, created, created,
            )  # fmt: skip

    ctx.writer.insert(
        ActionPlan,
        ["id", "member_id", "sequence_no", "title", "period_start", "period_end",
         "standards_version", "status", "primary_language", "vision", "efforts_to_date",
         "development_process", "co_creation_timeline", "notice_published_at", "version",
         "created_at", "updated_at"],
        rows(),
    )  # fmt: skip


def _make_policy_areas(ctx: Context, rng) -> None:
    chosen = [(plan, rng.sample(text.TOPICS, rng.randint(3, 6))) for plan in ctx.plans]
    first = ctx.writer.reserve_ids(PolicyArea, sum(len(areas) for _, areas in chosen))
    rows: list[tuple[Any, ...]] = []
    for plan, areas in chosen:
        for position, area in enumerate(areas):
            pk = first + len(rows)
            plan.areas.append((pk, area))
            rows.append(
                (pk, plan.pk, area[0], f"Commitments on {area[1][0]} and {area[1][1]}.",
                 "\n".join(area[1][:3]), position)
            )  # fmt: skip
    ctx.writer.insert(
        PolicyArea, ["id", "plan_id", "name", "description", "components", "position"], rows
    )


def _split(total: int, parts: int, rng, minimum: int = 1) -> list[int]:
    """`total` split into `parts` random positive counts (each at least `minimum`)."""
    counts = [minimum] * parts
    weights = [rng.uniform(0.3, 1.7) for _ in range(parts)]
    for index in rng.choices(range(parts), weights=weights, k=max(0, total - minimum * parts)):
        counts[index] += 1
    return counts


def _milestone_dates(ctx: Context, rng, start: dt.date, end: dt.date, count: int):
    """Consecutive milestones over the commitment's period, with statuses that fit today."""
    span = (end - start).days + 1
    result = []
    for index in range(count):
        begin = start + dt.timedelta(days=span * index // count)
        due = max(begin, start + dt.timedelta(days=span * (index + 1) // count - 1))
        if due < ctx.today:
            status = (
                MilestoneStatus.COMPLETE if rng.random() < 0.85 else MilestoneStatus.IN_PROGRESS
            )
        elif begin <= ctx.today:
            status = (
                MilestoneStatus.IN_PROGRESS if rng.random() < 0.7 else MilestoneStatus.NOT_STARTED
            )
        else:
            status = MilestoneStatus.NOT_STARTED
        result.append((begin, due, status))
    return result


def make_commitments(ctx: Context) -> None:
    rng = ctx.rng("commitments")
    eligible = [plan for plan in ctx.plans if plan.status in WITH_COMMITMENTS]
    # From about a third of the full size on, three plans have exactly 150, 50 and 10
    # commitments (plans in implementation where there are some): the export benchmark renders
    # the plan PDF at those sizes (issue #6). Smaller test sets keep the plain random split.
    fixed: list[int] = []
    if ctx.sizes.commitments >= 10 * sum(BENCH_PLAN_SIZES) and len(eligible) > 3:
        eligible.sort(key=lambda plan: plan.status != PlanStatus.IMPLEMENTATION)
        fixed = list(BENCH_PLAN_SIZES)
    rest = len(eligible) - len(fixed)
    per_plan = fixed + _split(ctx.sizes.commitments - sum(fixed), rest, rng)
    total = sum(per_plan)
    per_commitment = _split(max(ctx.sizes.milestones, 3 * total), total, rng, minimum=3)
    first = ctx.writer.reserve_ids(Commitment, total)
    serials: dict[str, int] = {}
    specs: list[list[Any]] = []  # (plan, pk, ogp_id, area, start, end, milestones)
    for plan, count in zip(eligible, per_plan, strict=True):
        for _ in range(count):
            pk = first + len(specs)
            serials[plan.member.iso_code] = serials.get(plan.member.iso_code, 0) + 1
            ogp_id = f"{plan.member.iso_code}{serials[plan.member.iso_code]:04d}"
            area = plan.areas[rng.randrange(len(plan.areas))]
            start = plan.start + dt.timedelta(days=rng.randint(0, 90))
            end = max(
                start + dt.timedelta(days=180), plan.end - dt.timedelta(days=rng.randint(0, 60))
            )
            end = min(end, plan.end)
            dates = _milestone_dates(ctx, rng, start, end, per_commitment[len(specs)])
            specs.append([plan, pk, ogp_id, area, start, end, dates, len(plan.commitments)])
            plan.commitments.append(pk)
    # The benchmark's plans keep their ordinary milestones (3-8 per commitment): the extra
    # future deadlines go to other plans, so the plan PDF is measured on a realistic plan.
    bench_plans = {id(plan) for plan in eligible[: len(fixed)]}
    _add_pending_milestones(ctx, rng, [spec for spec in specs if id(spec[0]) not in bench_plans])
    _write_commitments(ctx, rng, specs)
    _write_milestones(ctx, rng, specs)


def _add_pending_milestones(ctx: Context, rng, specs) -> None:
    """Future deadlines for the reminder scan: on commitments still running, due between
    tomorrow and their end (one in ten within the next 14 days)."""
    base = sum(
        1
        for spec in specs
        for _b, due, status in spec[6]
        if due >= ctx.today and status != "complete"
    )
    extra = ctx.sizes.extra_milestones
    if extra is None:
        extra = max(0, ctx.sizes.pending_deadlines - base)
    running = [
        spec
        for spec in specs
        if spec[5] > ctx.today + dt.timedelta(days=14) and spec[4] <= ctx.today
    ]
    if not running:
        running = [spec for spec in specs if spec[5] > ctx.today + dt.timedelta(days=14)]
    if not running:
        ctx.pending["milestones"] = base
        return
    for _ in range(extra):
        spec = running[rng.randrange(len(running))]
        horizon = (spec[5] - ctx.today).days
        days = rng.randint(1, 14) if rng.random() < 0.1 else rng.randint(1, horizon)
        due = ctx.today + dt.timedelta(days=days)
        begin = max(spec[4], due - dt.timedelta(days=rng.randint(30, 180)))
        status = MilestoneStatus.IN_PROGRESS if begin <= ctx.today else MilestoneStatus.NOT_STARTED
        spec[6].append((begin, due, status))
    ctx.pending["milestones"] = base + extra


def _write_commitments(ctx: Context, rng, specs) -> None:
    values = ("access_to_information", "civic_participation", "public_accountability",
              "technology_innovation")  # fmt: skip

    def rows():
        for plan, pk, ogp_id, area, start, end, dates, position in specs:
            flags = [rng.random() < 0.45 for _ in values]
            if not any(flags):
                flags[rng.randrange(3)] = True
            status = derived_status([d[2] for d in dates], CommitmentStatus.NOT_STARTED)
            withdrawn = (
                plan.status in ("ended", "archived", "implementation") and rng.random() < 0.02
            )
            title = text.title(rng, area[1])
            summary = text.paragraph(rng, area[1], text.SOLUTIONS, 1)[:280]
            irm = (
                {"verifiable": "yes", "potential_for_results": rng.choice(["modest", "substantial",
                 "unclear"]), "completion": rng.choice(["limited", "substantial", "complete"])}
                if plan.status in ("ended", "archived") else {}
            )  # fmt: skip
            created = dt.datetime.combine(start, dt.time(10), tzinfo=dt.UTC) - dt.timedelta(
                days=120
            )
            explanation = [
                text.paragraph(rng, area[1], text.RESULTS, 1) if f else "" for f in flags
            ]
            yield (
                pk, plan.pk, ogp_id, position, title, summary, summary,
                text.problem(rng, area[1]), text.causes(rng, area[1]),
                "Earlier plans made first steps; see the repository for the evidence.",
                text.solution(rng, area[1]), text.results(rng, area[1]),
                flags[0], explanation[0], flags[1], explanation[1], flags[2], explanation[2],
                flags[3], explanation[3], rng.choice(area[1][2]),
                rng.choice(plan.member.agencies)[1], "", "", area[0],
                start, end, f"{rng.randint(1, 90) * 50_000:,} (national budget)", "",
                CommitmentStatus.WITHDRAWN if withdrawn else status,
                "Replaced by a broader reform decided by parliament." if withdrawn else "",
                irm, 1, created, created,
            )  # fmt: skip

    ctx.writer.insert(
        Commitment,
        ["id", "plan_id", "ogp_id", "position", "title", "summary", "brief_description",
         "problem", "causes", "done_so_far", "solution", "expected_results",
         "access_to_information", "access_to_information_explanation", "civic_participation",
         "civic_participation_explanation", "public_accountability",
         "public_accountability_explanation", "technology_innovation",
         "technology_innovation_explanation", "lead_institution", "support_government",
         "support_civil_society", "support_other", "policy_area_id", "start_date", "end_date",
         "budget", "links_to_other_plans", "status", "withdrawn_reason", "irm_assessment",
         "version", "created_at", "updated_at"],
        rows(),
    )  # fmt: skip


def _write_milestones(ctx: Context, rng, specs) -> None:
    total = sum(len(spec[6]) for spec in specs)
    first = ctx.writer.reserve_ids(Milestone, total)
    updates = []

    def rows():
        pk = first
        for plan, commitment, _ogp, area, _s, _e, dates, _position in specs:
            for position, (begin, due, status) in enumerate(dates):
                updated = dt.datetime.combine(min(due, ctx.today), dt.time(12), tzinfo=dt.UTC)
                if status != "not_started" and rng.random() < 0.15:
                    updates.append((commitment, pk, status, updated, plan.member.commitment_lead))
                yield (
                    pk, commitment, position, text.paragraph(rng, area[1], text.SOLUTIONS, 1),
                    text.paragraph(rng, area[1], text.RESULTS, 1), begin, due,
                    rng.choice(area[1][2]), status, 1, updated,
                )  # fmt: skip
                pk += 1

    ctx.writer.insert(
        Milestone,
        ["id", "commitment_id", "position", "description", "expected_output", "start_date",
         "due_date", "responsible_actors", "status", "version", "updated_at"],
        rows(),
        rebuild_indexes=True,
    )  # fmt: skip
    first_update = ctx.writer.reserve_ids(ProgressUpdate, len(updates))
    ctx.writer.insert(
        ProgressUpdate,
        ["id", "commitment_id", "milestone_id", "author_id", "milestone_status", "narrative",
         "evidence_url", "evidence_file", "created_at"],
        (
            (first_update + i, commitment, milestone, author, status,
             "Work went as planned; the evidence is published on the agency's website.",
             f"https://evidence.example.org/milestones/{milestone}", "", when)
            for i, (commitment, milestone, status, when, author) in enumerate(updates)
        ),
    )  # fmt: skip
