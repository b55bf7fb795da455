"""One forum per member: seats, working groups, years of meetings (minutes published, held,
coming up), threads, and the member's repository of process documents (metadata only)."""

import datetime as dt
from typing import Any

from forums.choices import (
    MeetingKind,
    MeetingStatus,
    SeatRole,
    Sector,
    SelectionMethod,
)
from forums.models import (
    ActionItem,
    Decision,
    Forum,
    ForumMeeting,
    ForumSeat,
    MeetingAttendance,
    Post,
    SeatAllocation,
    Thread,
    WorkingGroup,
    WorkingGroupMember,
)
from records.choices import DocumentType
from records.models import RepositoryDocument

from . import text
from .context import Context

SEATS = ((Sector.GOVERNMENT, 5), (Sector.CIVIL_SOCIETY, 5), (Sector.ACADEMIA, 1),
         (Sector.PARLIAMENT, 1))  # fmt: skip
KINDS = (MeetingKind.REGULAR, MeetingKind.IMPLEMENTATION_REVIEW, MeetingKind.REGULAR,
         MeetingKind.PUBLIC_ENGAGEMENT)  # fmt: skip
DOC_TYPES = (
    (DocumentType.CONSULTATION_DOCUMENT, 20), (DocumentType.CO_CREATION_TIMELINE, 5),
    (DocumentType.ACTION_PLAN, 8), (DocumentType.COMMITMENT_EVIDENCE, 40),
    (DocumentType.REASONED_RESPONSE, 6), (DocumentType.SELF_ASSESSMENT, 4),
    (DocumentType.IRM_REPORT, 4), (DocumentType.OTHER, 13),
)  # fmt: skip


def make_forums(ctx: Context) -> None:
    rng = ctx.rng("forums")
    first = ctx.writer.reserve_ids(Forum, len(ctx.members))
    created = ctx.now - dt.timedelta(days=2500)
    rotation_start = dt.date(ctx.today.year - 2, 1, 1)
    ctx.writer.insert(
        Forum,
        ["id", "member_id", "name", "mandate", "rules_of_participation", "chair_rotation",
         "chair_rotation_months", "chair_rotation_starts_on", "chair_mode",
         "minutes_require_cosign", "majority_in_each_sector", "adoption_requires_decision",
         "timeline_requires_decision", "created_at", "updated_at"],
        (
            (first + m.index, m.pk, f"{m.name.split(' of ')[-1]} Open Government Forum",
             "Co-create the action plans with civil society and follow their implementation.",
             "Ten voting seats, five for government and five chosen by civil society itself. "
             "The forum meets at least every three months; agendas are public a week ahead and "
             "minutes within two weeks. Decisions by consensus.",
             ["government", "civil_society"], 12, rotation_start, "single_chair",
             False, False, False, False, created, created)
            for m in ctx.members
        ),
    )  # fmt: skip
    allocations = [(first + m.index, sector, n) for m in ctx.members for sector, n in SEATS]
    first_alloc = ctx.writer.reserve_ids(SeatAllocation, len(allocations))
    ctx.writer.insert(
        SeatAllocation,
        ["id", "forum_id", "sector", "seats"],
        ((first_alloc + i, *row) for i, row in enumerate(allocations)),
    )
    seats = []
    for m in ctx.members:
        organisations = {
            Sector.GOVERNMENT: [pk for pk, _ in m.agencies],
            Sector.CIVIL_SOCIETY: m.csos,
            Sector.ACADEMIA: [m.academia],
            Sector.PARLIAMENT: [m.parliament],
        }
        for sector, count in SEATS:
            for index in range(count):
                role = SeatRole.CO_CHAIR if index == 0 and count > 1 else SeatRole.MEMBER
                user = None
                if index == 0 and sector == Sector.GOVERNMENT:
                    user = m.civil_servant
                elif index == 0 and sector == Sector.CIVIL_SOCIETY:
                    user = m.forum_member
                how = (
                    SelectionMethod.SELF_SELECTION
                    if sector == Sector.CIVIL_SOCIETY
                    else SelectionMethod.APPOINTMENT
                )
                term = (
                    ctx.today - dt.timedelta(days=rng.randint(30, 400)),
                    ctx.today + dt.timedelta(days=rng.randint(200, 700)),
                )
                seats.append((first + m.index, user, text.person_name(rng),
                              rng.choice(organisations[sector]), sector, role, *term, how,
                              created))  # fmt: skip
    first_seat = ctx.writer.reserve_ids(ForumSeat, len(seats))
    ctx.writer.insert(
        ForumSeat,
        ["id", "forum_id", "user_id", "name", "organisation_id", "sector", "role",
         "term_starts_on", "term_ends_on", "selected_via", "created_at"],
        ((first_seat + i, *row) for i, row in enumerate(seats)),
    )  # fmt: skip
    groups = _working_groups(ctx, rng, first, created)
    _meetings(ctx, rng, first, groups)
    _threads(ctx, rng, first)


def _current_plan(member, day: dt.date):
    for plan in member.plans:
        if plan.start <= day <= plan.end:
            return plan
    return member.plans[0]


def _working_groups(ctx: Context, rng, first_forum: int, created) -> dict[int, list[int]]:
    rows: list[tuple[Any, ...]] = []
    members: list[tuple[Any, ...]] = []
    first = ctx.writer.reserve_ids(WorkingGroup, 2 * len(ctx.members))
    groups: dict[int, list[int]] = {}
    for m in ctx.members:
        plan = _current_plan(m, ctx.today)
        for area_pk, area in plan.areas[:2]:
            pk = first + len(rows)
            groups.setdefault(m.index, []).append(pk)
            rows.append((pk, first_forum + m.index, f"{area[0]} team",
                         f"Follows the {area[1][0]} commitments between meetings.", area_pk,
                         created))  # fmt: skip
            for sector in (Sector.GOVERNMENT, Sector.CIVIL_SOCIETY, Sector.ACADEMIA):
                members.append((pk, None, text.person_name(rng) + f" ({sector[:3]})", sector))
    ctx.writer.insert(
        WorkingGroup,
        ["id", "forum_id", "name", "description", "policy_area_id", "created_at"],
        rows,
    )
    first_member = ctx.writer.reserve_ids(WorkingGroupMember, len(members))
    ctx.writer.insert(
        WorkingGroupMember,
        ["id", "group_id", "user_id", "name", "sector"],
        ((first_member + i, *row) for i, row in enumerate(members)),
    )
    return groups


def _meetings(ctx: Context, rng, first_forum: int, groups) -> None:
    """Every 2–4 months from the member's first plan until today, then 1–3 coming up."""
    meetings = []
    for m in ctx.members:
        day = m.plans[0].start
        while day < ctx.today:
            meetings.append((m, day, "past"))
            day += dt.timedelta(days=rng.randint(60, 120))
        for _ in range(rng.randint(1, 3)):
            meetings.append((m, ctx.today + dt.timedelta(days=rng.randint(1, 60)), "future"))
    first = ctx.writer.reserve_ids(ForumMeeting, len(meetings))
    rows, attendance, decisions, items, documents = [], [], [], [], []
    for offset, (m, day, when) in enumerate(meetings):
        pk = first + offset
        plan = _current_plan(m, day)
        area = plan.areas[rng.randrange(len(plan.areas))][1]
        kind = KINDS[rng.randrange(len(KINDS))]
        starts = dt.datetime.combine(day, dt.time(9, 30), tzinfo=dt.UTC)
        status, minutes, published = MeetingStatus.SCHEDULED, "", None
        if when == "past":
            recent = (ctx.today - day).days < 21
            if recent or rng.random() < 0.1:
                status = MeetingStatus.HELD
            else:
                status, published = MeetingStatus.MINUTES_PUBLISHED, starts + dt.timedelta(days=7)
                minutes = "The co-chairs opened the meeting. " + text.paragraph(
                    rng, area, text.COMMENT, 3
                )
            for sector, count in ((Sector.GOVERNMENT, 4), (Sector.CIVIL_SOCIETY, 5),
                                  (Sector.ACADEMIA, 1)):  # fmt: skip
                attendance.append((pk, sector, max(1, count + rng.randint(-2, 2))))
        group = None
        if rng.random() < 0.15 and groups.get(m.index):
            group = rng.choice(groups[m.index])
        title = f"{kind.label}: {area[1][rng.randrange(len(area[1]))]}"
        online = rng.random() < 0.5
        rows.append((
            pk, first_forum + m.index, group, plan.pk, title[:200], kind, starts,
            starts + dt.timedelta(hours=2), "Government House, Council Room",
            f"https://meet.{m.slug}.example.org/forum" if online else "",
            f"1. Welcome and conflicts of interest\n2. {area[0]}\n3. Any other business",
            status, minutes, "", published, m.civil_servant,
            starts - dt.timedelta(days=21), published or starts,
        ))  # fmt: skip
        if status == MeetingStatus.MINUTES_PUBLISHED:
            for position in range(2):
                decisions.append((pk, text.paragraph(rng, area, text.SOLUTIONS, 1), position,
                                  published))  # fmt: skip
            items.append((pk, text.paragraph(rng, area, text.SOLUTIONS, 1)[:500],
                          rng.choice(m.agencies)[1], day + dt.timedelta(days=30),
                          published))  # fmt: skip
            documents.append((m, DocumentType.MEETING_MINUTES, f"Minutes: {title}"[:250], plan.pk,
                              pk, published))  # fmt: skip
    ctx.pending["meetings"] = sum(1 for _m, _d, when in meetings if when == "future")
    ctx.writer.insert(
        ForumMeeting,
        ["id", "forum_id", "working_group_id", "plan_id", "title", "kind", "starts_at",
         "ends_at", "location", "online_url", "agenda", "status", "minutes_text",
         "minutes_file", "minutes_published_at", "scheduled_by_id", "created_at", "updated_at"],
        rows,
    )  # fmt: skip
    noted_decisions: list[tuple] = [(*d, "recorded", "passed", 0, [], "") for d in decisions]
    for model, columns, data in (
        (MeetingAttendance, ["meeting_id", "sector", "count"], attendance),
        # Decisions noted in the minutes (no motion or vote on record).
        (
            Decision,
            [
                "meeting_id",
                "text",
                "position",
                "created_at",
                "method",
                "outcome",
                "quorum_needed",
                "sectors_needing_majority",
                "purpose",
            ],
            noted_decisions,
        ),
        (ActionItem, ["meeting_id", "description", "owner", "due_on", "created_at"], items),
    ):
        first_row = ctx.writer.reserve_ids(model, len(data))
        ctx.writer.insert(
            model, ["id", *columns], ((first_row + i, *row) for i, row in enumerate(data))
        )
    _documents(ctx, rng, documents)


def _documents(ctx: Context, rng, minutes: list) -> None:
    """The minutes records, one rules document per forum, then the rest of the repository
    spread over the members' plan years (a few scheduled for publication later)."""
    rows = list(minutes)
    for m in ctx.members:
        rows.append((m, DocumentType.FORUM_RULES, "Forum rules of participation", None, None,
                     ctx.now - dt.timedelta(days=rng.randint(300, 2000))))  # fmt: skip
    types, weights = zip(*DOC_TYPES, strict=True)
    for _ in range(max(0, ctx.sizes.documents - len(rows))):
        m = ctx.members[rng.randrange(len(ctx.members))]
        plan = m.plans[rng.randrange(len(m.plans))]
        doc_type = rng.choices(types, weights=weights)[0]
        area = plan.areas[rng.randrange(len(plan.areas))][1]
        days = (ctx.today - plan.start).days + 300
        published = ctx.now - dt.timedelta(days=rng.randint(-30, max(1, days)))
        title = f"{doc_type.label}: {area[1][rng.randrange(len(area[1]))]} ({published.year})"
        rows.append((m, doc_type, title, plan.pk, None, published))
    first = ctx.writer.reserve_ids(RepositoryDocument, len(rows))
    ctx.writer.insert(
        RepositoryDocument,
        ["id", "member_id", "doc_type", "title", "description", "plan_id", "meeting_id", "file",
         "url", "language", "published_at", "updated_at", "uploaded_by_id"],
        (
            (first + i, m.pk, doc_type, title, "", plan, meeting, "",
             f"https://ogp.{m.slug}.example.org/documents/{first + i}.pdf", m.languages[0],
             published, published, m.civil_servant)
            for i, (m, doc_type, title, plan, meeting, published) in enumerate(rows)
        ),
        rebuild_indexes=True,
    )  # fmt: skip


def _threads(ctx: Context, rng, first_forum: int) -> None:
    threads: list[tuple[Any, ...]] = []
    posts: list[tuple[Any, ...]] = []
    first = ctx.writer.reserve_ids(Thread, 3 * len(ctx.members))
    for m in ctx.members:
        area = _current_plan(m, ctx.today).areas[0][1]
        for index in range(3):
            pk = first + len(threads)
            started = ctx.now - dt.timedelta(days=rng.randint(5, 200), hours=rng.randint(0, 23))
            authors = [m.forum_member, m.civil_servant]
            last = started
            for n in range(rng.randint(2, 6)):
                last = started + dt.timedelta(hours=n * rng.randint(2, 30))
                posts.append((pk, authors[n % 2], text.paragraph(rng, area, text.COMMENT, 2), last))
            label = ("Agenda", "Preparing", "Follow-up")[index]
            threads.append((pk, first_forum + m.index,
                            f"{label}: {area[1][index % len(area[1])]}",
                            index != 1, m.forum_member, started, last))  # fmt: skip
    ctx.writer.insert(
        Thread,
        ["id", "forum_id", "title", "is_public", "created_by_id", "created_at", "last_post_at"],
        threads,
    )
    first_post = ctx.writer.reserve_ids(Post, len(posts))
    ctx.writer.insert(
        Post,
        ["id", "thread_id", "author_id", "body", "created_at"],
        ((first_post + i, *row) for i, row in enumerate(posts)),
    )
