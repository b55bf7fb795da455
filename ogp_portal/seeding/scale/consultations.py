"""Consultation windows (closed with reasoned responses, open now, scheduled), proposals,
responses, comments, supports, flags, guiding questions and offline events.

The big consultation (the most proposals) and the big proposal (the most comments) are
written first, so on a fresh database they are consultation 1 and proposal 1.
"""

import datetime as dt
import uuid
from typing import Any

from consultations.choices import ConsultationKind, ModerationState, ProposalStatus
from consultations.models import (
    Answer,
    Comment,
    Consultation,
    Flag,
    GuidingQuestion,
    OfflineEvent,
    Proposal,
    ProposalCommitmentLink,
    ReasonedResponse,
    Support,
)
from consultations.text import render_user_text
from plans.choices import PlanStatus

from . import text
from .context import Context, Plan

DECIDED = (
    (ProposalStatus.ACCEPTED, 20),
    (ProposalStatus.PARTIALLY_ACCEPTED, 15),
    (ProposalStatus.MERGED, 10),
    (ProposalStatus.DEFERRED, 15),
    (ProposalStatus.NOT_ACCEPTED, 25),
    (ProposalStatus.OUT_OF_SCOPE, 15),
)
WITH_COMMITMENT = ("accepted", "partially_accepted", "merged")
REASONS = {
    "accepted": "Accepted: it becomes a commitment of the plan, led by {institution}.",
    "partially_accepted": "Partly taken up: {institution} will cover {phrase}; the rest "
    "needs funding we do not have yet.",
    "merged": "Merged with a similar proposal on {phrase}, which was taken up in the plan.",
    "deferred": "A good idea that needs a pilot first; we will table it for the next plan.",
    "not_accepted": "Not taken up: {phrase} is already covered by law and by {institution}.",
    "out_of_scope": "Outside the national government's remit; we passed it to the "
    "authorities responsible for {phrase}.",
}
DAY = dt.timedelta(days=1)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


class Window:
    __slots__ = ("pk", "plan", "kind", "opens", "closes", "audience", "is_big", "n_proposals")

    def __init__(self, plan: Plan, kind: str, opens, closes, audience: str, is_big=False):
        self.pk = 0
        self.plan, self.kind, self.opens, self.closes = plan, kind, opens, closes
        self.audience, self.is_big, self.n_proposals = audience, is_big, 0


def _windows(ctx: Context, rng) -> list[Window]:
    now = ctx.now
    windows: list[Window] = []
    for plan in ctx.plans:
        audience = "verified_csos" if rng.random() < 0.15 else "verified_users"
        idea, comment = ConsultationKind.IDEA_COLLECTION, ConsultationKind.DRAFT_PLAN_COMMENT
        if plan.status == PlanStatus.CO_CREATION:
            is_big = (
                plan.member.index == 0
                and plan.idea_consultation is None
                and not any(w.is_big for w in windows)
            )
            opens = now - dt.timedelta(days=30 if is_big else rng.randint(3, 40))
            closes = now + dt.timedelta(days=90 if is_big else rng.randint(5, 60))
            windows.append(
                Window(plan, idea, opens, closes, "verified_users" if is_big else audience, is_big)
            )
        elif plan.status == PlanStatus.NOTICE:
            opens = now + dt.timedelta(days=rng.randint(15, 40))
            windows.append(Window(plan, idea, opens, opens + dt.timedelta(days=42), audience))
        elif plan.status in (PlanStatus.DRAFTING, PlanStatus.DRAFT_PUBLIC_COMMENT):
            opens = now - dt.timedelta(days=rng.randint(100, 160))
            windows.append(Window(plan, idea, opens, opens + dt.timedelta(days=42), audience))
            if plan.status == PlanStatus.DRAFT_PUBLIC_COMMENT:
                opens = now - dt.timedelta(days=rng.randint(2, 12))
                windows.append(
                    Window(plan, comment, opens, opens + dt.timedelta(days=28), audience)
                )
        elif plan.status != PlanStatus.PLANNING:
            opens = _at(plan.start) - dt.timedelta(days=210)
            windows.append(Window(plan, idea, opens, opens + dt.timedelta(days=42), audience))
            opens = _at(plan.start) - dt.timedelta(days=75)
            windows.append(Window(plan, comment, opens, opens + dt.timedelta(days=21), audience))
    windows.sort(key=lambda w: not w.is_big)  # stable: the big one first, then plan order
    return windows


def make_consultations(ctx: Context) -> list[Window]:
    rng = ctx.rng("consultations")
    windows = _windows(ctx, rng)
    first = ctx.writer.reserve_ids(Consultation, len(windows))
    for offset, window in enumerate(windows):
        window.pk = first + offset
        if window.kind == ConsultationKind.IDEA_COLLECTION:
            window.plan.idea_consultation = window.pk
        else:
            window.plan.comment_consultation = window.pk
    ctx.big_consultation = windows[0].pk
    ctx.pending["consultations"] = sum(1 for w in windows if w.closes > ctx.now)

    def rows():
        for w in windows:
            area = w.plan.areas[0][1]
            if w.kind == ConsultationKind.IDEA_COLLECTION:
                title = f"Ideas for the {w.plan.member.name} action plan {w.plan.start.year}"
            else:
                title = f"Comments on the draft action plan {w.plan.start.year}"
            summary = w.closes + dt.timedelta(days=75)
            yield (
                w.pk, w.plan.pk, title, w.kind, w.audience,
                "What should the government commit to? Propose a commitment, comment on and "
                "support other proposals; every proposal gets a published, reasoned response. "
                + text.paragraph(rng, area, text.PROBLEM, 1),
                ["online", "workshop", "email"][: rng.randint(1, 3)],
                w.opens - dt.timedelta(days=rng.randint(15, 30)), w.opens, w.closes,
                summary if summary <= ctx.now else None, w.plan.member.civil_servant,
                w.opens - dt.timedelta(days=40), w.opens - dt.timedelta(days=40),
            )  # fmt: skip

    ctx.writer.insert(
        Consultation,
        ["id", "plan_id", "title", "kind", "audience", "description", "channels",
         "notice_published_at", "opens_at", "closes_at", "summary_published_at",
         "created_by_id", "created_at", "updated_at"],
        rows(),
    )  # fmt: skip
    return windows


def _proposal_counts(ctx: Context, rng, windows: list[Window]) -> None:
    windows[0].n_proposals = ctx.sizes.big_proposals
    others = [
        w for w in windows[1:] if w.kind == ConsultationKind.IDEA_COLLECTION and w.opens < ctx.now
    ]
    if not others:
        return
    weights = [rng.uniform(0.2, 1.8) for _ in others]
    for index in rng.choices(range(len(others)), weights=weights, k=ctx.sizes.other_proposals):
        others[index].n_proposals += 1


def make_proposals(ctx: Context, windows: list[Window]) -> list[tuple]:
    """Proposals with their responses and commitment links; returns what comments and
    supports need per proposal: (pk, window, topic, author, submitted_at, is_draft)."""
    rng = ctx.rng("proposals")
    _proposal_counts(ctx, rng, windows)
    total = sum(w.n_proposals for w in windows)
    first = ctx.writer.reserve_ids(Proposal, total)
    ctx.big_proposal = first
    reps_by_member: dict[int, list[tuple[int, int]]] = {}
    for user, rep_org, member in ctx.cso_reps:
        reps_by_member.setdefault(member, []).append((user, rep_org))
    # pk, window, area, author, org, status, submitted, merged_into, decided_at
    meta: list[tuple[Any, ...]] = []
    statuses, weights = zip(*DECIDED, strict=True)
    for window in windows:
        reps = reps_by_member.get(window.plan.member.pk, [])
        end = min(window.closes, ctx.now)
        span = (end - window.opens).total_seconds()
        previous: int | None = None
        for index in range(window.n_proposals):
            pk = first + len(meta)
            area = window.plan.areas[rng.randrange(len(window.plan.areas))]
            org: int | None
            if reps and (window.audience == "verified_csos" or rng.random() < 0.25):
                author, org = reps[rng.randrange(len(reps))]
            else:
                author, org = ctx.citizen(rng), None
            submitted = window.opens + dt.timedelta(seconds=rng.random() * span)
            decided_at: dt.datetime | None = None
            if window.is_big and index == 0:
                status, submitted = ProposalStatus.SUBMITTED, window.opens + DAY
            elif window.closes <= ctx.now:
                decided_at = window.closes + dt.timedelta(days=rng.randint(20, 70))
                if decided_at >= ctx.now:
                    status, decided_at = ProposalStatus.UNDER_REVIEW, None
                else:
                    status = rng.choices(statuses, weights=weights)[0]
            else:
                roll = rng.random()
                if roll < 0.04:
                    status, submitted = ProposalStatus.DRAFT, None
                elif roll < 0.10:
                    status = rng.choices(statuses, weights=weights)[0]
                    decided_at = submitted + dt.timedelta(
                        seconds=(end - submitted).total_seconds() / 2
                    )
                elif roll < 0.22:
                    status = ProposalStatus.UNDER_REVIEW
                else:
                    status = ProposalStatus.SUBMITTED
            merged_into: int | None = None
            if status == ProposalStatus.MERGED:
                if previous is None:
                    status = ProposalStatus.NOT_ACCEPTED
                else:
                    merged_into = previous
            if status != ProposalStatus.DRAFT:
                previous = pk
            meta.append((pk, window, area, author, org, status, submitted, merged_into, decided_at))
    _write_responses_and_proposals(ctx, rng, meta)
    return [(m[0], m[1], m[2][1], m[3], m[6], m[5] == "draft") for m in meta]


def _write_responses_and_proposals(ctx: Context, rng, meta) -> None:
    decided = [m for m in meta if m[8] is not None]
    first_response = ctx.writer.reserve_ids(ReasonedResponse, len(decided))
    response_of = {m[0]: first_response + i for i, m in enumerate(decided)}

    def responses():
        for m in decided:
            area = m[2][1]
            reason = REASONS[m[5]].format(
                institution=rng.choice(area[2]), phrase=rng.choice(area[1])
            )
            # The response's decision: deferring is "not taken up" in this plan (the proposal
            # keeps its own "deferred" status).
            decision = "not_accepted" if m[5] == "deferred" else m[5]
            yield (response_of[m[0]], m[1].pk, m[1].plan.pk, "published", decision, reason,
                   m[1].plan.member.civil_servant, m[8], m[8])  # fmt: skip

    ctx.writer.insert(
        ReasonedResponse,
        ["id", "consultation_id", "plan_id", "status", "decision", "reason", "responder_id",
         "published_at", "created_at"],
        responses(),
    )  # fmt: skip

    def proposals():
        for pk, window, (area_pk, area), author, org, status, submitted, merged, decided_at in meta:
            created = (submitted or window.opens) - dt.timedelta(minutes=rng.randint(5, 600))
            yield (
                pk, window.pk, author, org, "cso" if org else "citizen", text.title(rng, area),
                text.problem(rng, area), text.causes(rng, area), text.solution(rng, area),
                text.results(rng, area), rng.random() < 0.5, rng.random() < 0.4,
                rng.random() < 0.4, rng.random() < 0.2, area_pk, rng.choice(area[2]), status,
                merged, response_of.get(pk), uuid.UUID(int=rng.getrandbits(128), version=4),
                0, 0, submitted, created, decided_at or submitted or created,
            )  # fmt: skip

    ctx.writer.insert(
        Proposal,
        ["id", "consultation_id", "author_id", "organisation_id", "submitter_type", "title",
         "problem", "causes", "proposed_solution", "expected_results", "access_to_information",
         "civic_participation", "public_accountability", "technology_innovation",
         "policy_area_id", "suggested_lead_agency", "status", "merged_into_id", "response_id",
         "submission_token", "support_count", "comment_count", "submitted_at", "created_at",
         "updated_at"],
        proposals(),
        rebuild_indexes=True,
    )  # fmt: skip
    links = [
        (m[0], m[1].plan.commitments[rng.randrange(len(m[1].plan.commitments))], m[8])
        for m in decided
        if m[5] in WITH_COMMITMENT and m[1].plan.commitments
    ]
    first_link = ctx.writer.reserve_ids(ProposalCommitmentLink, len(links))
    ctx.writer.insert(
        ProposalCommitmentLink,
        ["id", "proposal_id", "commitment_id", "created_at"],
        ((first_link + i, *link) for i, link in enumerate(links)),
    )


def _comment_pool(rng, comments: int) -> dict[str, list[tuple[str, str]]]:
    """Bodies per policy area, rendered once (the same sanitiser the portal uses)."""
    pool = {}
    size = max(20, min(300, comments // 500))
    for area in text.TOPICS:
        bodies = [text.comment(rng, area) for _ in range(size)]
        pool[area[0]] = [(body, render_user_text(body)) for body in bodies]
    return pool


def _allocate(rng, total: int, weights: list[float], cap: int) -> list[int]:
    """`total` items over len(weights) buckets in proportion, none above `cap`."""
    counts = [0] * len(weights)
    if not weights or total <= 0:
        return counts
    scale = total / sum(weights)
    for index, weight in enumerate(weights):
        counts[index] = min(cap, int(weight * scale))
    left = min(total, cap * len(counts)) - sum(counts)
    while left > 0:
        index = rng.randrange(len(counts))
        if counts[index] < cap:
            counts[index] += 1
            left -= 1
    return counts


def make_comments(ctx: Context, windows: list[Window], proposals: list[tuple]) -> None:
    rng = ctx.rng("comments")
    pool = _comment_pool(rng, ctx.sizes.comments)
    live = [p for p in proposals if not p[5]]
    big = ctx.sizes.big_comments
    on_commitments = ctx.sizes.comments // 50
    rest = ctx.sizes.comments - big - on_commitments
    weights = [min(rng.paretovariate(1.3), 40.0) for _ in live[1:]]
    # Others stay well below the big proposal, even after a few comments are deleted.
    counts = [big, *_allocate(rng, rest, weights, max(1, big // 2))]
    targets = [(p, n) for p, n in zip(live, counts, strict=True) if n]
    commented = [
        (plan, consultation_pk, pk)
        for plan in ctx.plans
        if (consultation_pk := plan.comment_consultation) and plan.commitments
        for pk in plan.commitments
    ]
    windows_by_pk = {w.pk: w for w in windows}
    if commented:
        for index in rng.choices(range(len(commented)), k=on_commitments):
            plan, consultation_pk, commitment = commented[index]
            window = windows_by_pk[consultation_pk]
            targets.append(
                ((None, window, plan.areas[0][1], None, window.opens, False), -commitment)
            )
    total = sum(abs(n) if n > 0 else 1 for _, n in targets)
    first = ctx.writer.reserve_ids(Comment, total)
    hidden = []

    def rows():
        pk = first
        for (proposal, window, area, author, submitted, _draft), n in targets:
            commitment = None
            if n < 0:  # one comment on a commitment (its id, negated)
                commitment, n = -n, 1
            start = max(submitted, window.opens)
            span = max(60.0, (min(window.closes, ctx.now) - start).total_seconds())
            offsets = sorted(rng.random() * span for _ in range(n))
            bodies = pool[area[0]]
            top_level: list[int] = []
            for offset in offsets:
                created = start + dt.timedelta(seconds=offset)
                parent = None
                if top_level and rng.random() < 0.3:
                    parent = top_level[rng.randrange(len(top_level))]
                else:
                    top_level.append(pk)
                writer = author if parent and author and rng.random() < 0.2 else ctx.citizen(rng)
                body, html = bodies[rng.randrange(len(bodies))]
                roll = rng.random()
                state, reason, deleted = ModerationState.PUBLISHED, "", None
                if roll < 0.004:
                    state, reason = (
                        ModerationState.HIDDEN,
                        "Personal attack; hidden by a moderator.",
                    )
                    hidden.append((pk, window.plan.member.moderator, created))
                elif roll < 0.006:
                    body = html = ""
                    deleted = created + dt.timedelta(minutes=5)
                yield (
                    pk, window.pk, proposal, commitment, parent, writer, rng.random() < 0.4,
                    body, html, state, reason, created, None, deleted,
                )  # fmt: skip
                pk += 1

    ctx.writer.insert(
        Comment,
        ["id", "consultation_id", "proposal_id", "commitment_id", "parent_id", "author_id",
         "show_name", "body", "body_html", "moderation_state", "hidden_reason", "created_at",
         "edited_at", "deleted_at"],
        rows(),
        rebuild_indexes=True,
    )  # fmt: skip
    first_flag = ctx.writer.reserve_ids(Flag, len(hidden))
    ctx.writer.insert(
        Flag,
        ["id", "comment_id", "user_id", "reason", "created_at", "resolved_at"],
        (
            (first_flag + i, comment, ctx.citizen(rng), "Insulting another participant.",
             when + dt.timedelta(hours=1), when + dt.timedelta(hours=5))
            for i, (comment, _moderator, when) in enumerate(hidden)
        ),
    )  # fmt: skip


def make_supports(ctx: Context, proposals: list[tuple]) -> None:
    rng = ctx.rng("supports")
    live = [p for p in proposals if not p[5]]
    first_citizen, citizens = ctx.citizens
    total = min(ctx.sizes.supports, citizens * len(live))
    # The big proposal is also the most supported one (a twenty-fifth of all supports).
    big = min(citizens, max(1, total // 25))
    weights = [min(rng.paretovariate(1.2), 60.0) for _ in live[1:]]
    counts = [big, *_allocate(rng, total - big, weights, citizens)]
    first = ctx.writer.reserve_ids(Support, sum(counts))

    def rows():
        pk = first
        for (proposal, window, _area, _author, submitted, _draft), n in zip(
            live, counts, strict=True
        ):
            start = max(submitted, window.opens)
            span = max(60.0, (min(window.closes, ctx.now) - start).total_seconds())
            for user in rng.sample(range(citizens), n):
                yield (
                    pk,
                    proposal,
                    first_citizen + user,
                    start + dt.timedelta(seconds=rng.random() * span),
                )
                pk += 1

    ctx.writer.insert(
        Support, ["id", "proposal_id", "user_id", "created_at"], rows(), rebuild_indexes=True
    )


def make_questions(ctx: Context, windows: list[Window]) -> None:
    """A guiding question with a few answers per idea collection; offline workshops."""
    rng = ctx.rng("questions")
    started = [
        w for w in windows if w.kind == ConsultationKind.IDEA_COLLECTION and w.opens < ctx.now
    ]
    first_q = ctx.writer.reserve_ids(GuidingQuestion, len(started))
    ctx.writer.insert(
        GuidingQuestion,
        ["id", "consultation_id", "text", "position"],
        (
            (
                first_q + i,
                w.pk,
                f"What are the main barriers to {rng.choice(w.plan.areas)[1][1][0]}?",
                0,
            )
            for i, w in enumerate(started)
        ),
    )
    answers = []
    for i, w in enumerate(started):
        area = w.plan.areas[0][1]
        for _ in range(rng.randint(3, 8)):
            answers.append((first_q + i, ctx.citizen(rng),
                            text.paragraph(rng, area, text.PROBLEM, 1),
                            w.opens + dt.timedelta(days=rng.randint(1, 20))))  # fmt: skip
    first_a = ctx.writer.reserve_ids(Answer, len(answers))
    ctx.writer.insert(
        Answer,
        ["id", "question_id", "author_id", "body", "created_at"],
        ((first_a + i, *answer) for i, answer in enumerate(answers)),
    )
    closed = [w for w in started if w.closes <= ctx.now]
    first_e = ctx.writer.reserve_ids(OfflineEvent, len(closed))
    ctx.writer.insert(
        OfflineEvent,
        ["id", "consultation_id", "channel", "held_on", "place", "participants_by_sector",
         "summary", "minutes", "recorded_by_id"],
        (
            (first_e + i, w.pk, "workshop", (w.opens + dt.timedelta(days=10)).date(),
             f"Regional library, {rng.choice(text.REGIONS)}",
             {"government": rng.randint(2, 8), "civil_society": rng.randint(8, 40)},
             text.paragraph(rng, w.plan.areas[0][1], text.COMMENT, 2), "",
             w.plan.member.civil_servant)
            for i, w in enumerate(closed)
        ),
    )  # fmt: skip
