"""The minimum requirements of a plan's self-assessment, one function each: `(Context) -> Line`
(records/selectors/self_assessment.py lists them in the order shown). Each returns the records
it was computed from as links, or where such records would be."""

import datetime as dt
from collections import Counter

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.choices import Channel
from consultations.models import Proposal
from forums.choices import MeetingKind
from forums.dates import add_months
from forums.models import Forum, ForumMeeting
from ogp_portal.core.ogp_rules import earliest_after_notice, rule
from plans.choices import PlanStatus
from records.choices import DocumentType
from records.models import OutreachActivity, RepositoryDocument

# Plans the member has delivered (adopted or further): what the procedural-review clock asks for.
from records.selectors.assessment import (
    Context,
    Line,
    Link,
    Status,
    YearLine,
    calendar_years,
    day_start,
    local_date,
    overall,
    year_status,
)

# --- the requirements ---------------------------------------------------------------------


def _forum_meets(ctx: Context) -> Line:
    """MR 1.1: no gap longer than N months without a forum meeting with published minutes,
    from the start of the plan's process to its end (or today)."""
    months: int = rule("forum_max_months_between_meetings", ctx.version)
    title = ngettext(
        "The forum met, with published minutes, at least every %(n)s month",
        "The forum met, with published minutes, at least every %(n)s months",
        months,
    ) % {"n": months}
    if ctx.forum is None:
        return Line(
            "MR 1.1",
            title,
            Status.NOT_MET,
            _("The member has no forum on the portal."),
            [Link(_("Forums"), reverse("forums:forum-list"))],
            False,
        )
    if ctx.until < ctx.start:
        return Line(
            "MR 1.1",
            title,
            Status.NOT_APPLICABLE,
            _("The plan's process has not begun."),
            [Link(_("Forum meetings"), _meeting_list(ctx.forum))],
            False,
        )
    meetings = list(
        ForumMeeting.objects.with_published_minutes()
        .filter(
            forum=ctx.forum,
            working_group__isnull=True,
            starts_at__gte=day_start(add_months(ctx.start, -months), ctx.plan),
            starts_at__lt=day_start(ctx.until + dt.timedelta(days=1), ctx.plan),
        )
        .order_by("starts_at", "pk")
        .only("pk", "title", "starts_at")
    )
    days = [local_date(m.starts_at, ctx.plan) for m in meetings]
    gaps: list[tuple[dt.date, dt.date]] = []
    previous = ctx.start if not days or days[0] > ctx.start else days[0]
    for day in [*days, ctx.until]:
        if day > add_months(previous, months):
            gaps.append((previous, day))
        previous = max(previous, day)
    in_period = [m for m, d in zip(meetings, days, strict=True) if d >= ctx.start]
    detail = ngettext(
        "%(count)s meeting with published minutes from %(start)s to %(until)s.",
        "%(count)s meetings with published minutes from %(start)s to %(until)s.",
        len(in_period),
    ) % {"count": len(in_period), "start": ctx.start, "until": ctx.until}
    if gaps:
        detail += " " + _("No meeting from %(from)s to %(to)s.") % {
            "from": gaps[0][0],
            "to": gaps[0][1],
        }
    links = [
        Link(f"{m.title} ({d})", m.get_absolute_url()) for m, d in zip(meetings, days, strict=True)
    ]
    if not links:
        links = [Link(_("Forum meetings"), _meeting_list(ctx.forum))]
    return Line(
        "MR 1.1",
        title,
        Status.NOT_MET if gaps else Status.MET,
        detail,
        links,
        bool(meetings),
        {"meetings": len(in_period), "gaps": len(gaps)},
    )


def _forum_rules(ctx: Context) -> Line:
    """MR 1.1: the forum's basic rules of participation are public."""
    title = _("The forum's rules of participation are public")
    if ctx.forum is None:
        return Line(
            "MR 1.1",
            title,
            Status.NOT_MET,
            _("The member has no forum on the portal."),
            [Link(_("Forums"), reverse("forums:forum-list"))],
            False,
        )
    published = bool(ctx.forum.rules_of_participation.strip())
    links = [Link(_("The forum and its rules"), ctx.forum.get_absolute_url())]
    in_repository = (
        RepositoryDocument.objects.filter(member=ctx.plan.member, doc_type=DocumentType.FORUM_RULES)
        .published()
        .exists()
    )
    if in_repository:
        url = reverse("records:repository", args=[ctx.plan.member.slug])
        links.append(
            Link(_("Rules in the repository"), f"{url}?doc_type={DocumentType.FORUM_RULES}")
        )
    detail = (
        _("The forum's page publishes its rules of participation.")
        if published
        else _("The forum has not written its rules of participation.")
    )
    return Line(
        "MR 1.1", title, Status.MET if published else Status.NOT_MET, detail, links, published
    )


def _website(ctx: Context) -> Line:
    """MR 2.1: a public website about the member's OGP participation."""
    member = ctx.plan.member
    title = _("A public website about the member's OGP participation")
    links = [Link(_("The member's page on this portal"), member.get_absolute_url())]
    if member.website_url:
        detail = _("OGP website: %(url)s") % {"url": member.website_url}
        return Line("MR 2.1", title, Status.MET, detail, links, True)
    return Line(
        "MR 2.1", title, Status.NOT_MET, _("No OGP website address is on record."), links, False
    )


def _repository(ctx: Context) -> Line:
    """MR 2.2: the repository is updated at least N times each calendar year."""
    needed: int = rule("repository_updates_per_year", ctx.version)
    member = ctx.plan.member
    title = ngettext(
        "The repository was updated at least %(n)s time each year",
        "The repository was updated at least %(n)s times each year",
        needed,
    ) % {"n": needed}
    url = reverse("records:repository", args=[member.slug])
    years = calendar_years(ctx.start, ctx.until)
    counts: dict[int, int] = {}
    if years:
        rows = (
            RepositoryDocument.objects.filter(member=member)
            .published()
            .filter(
                published_at__gte=day_start(dt.date(years[0], 1, 1), ctx.plan),
                published_at__lt=day_start(dt.date(years[-1] + 1, 1, 1), ctx.plan),
            )
            .annotate(year=ExtractYear("published_at", tzinfo=member.zone))
            .values("year")
            .annotate(n=Count("pk"))
            .values_list("year", "n")
        )
        counts = dict(rows)
    lines = [
        YearLine(
            year,
            counts.get(year, 0),
            needed,
            year_status(counts.get(year, 0), needed, year, ctx.today),
            [Link(str(year), f"{url}?year={year}")],
        )
        for year in years
    ]
    total = sum(counts.values())
    detail = ngettext(
        "%(count)s document published in the plan's years.",
        "%(count)s documents published in the plan's years.",
        total,
    ) % {"count": total}
    links = [link for y in lines for link in y.links] or [Link(_("Repository"), url)]
    return Line(
        "MR 2.2", title, overall(lines), detail, links, total > 0, {"documents": total}, lines
    )


def _advance_notice(ctx: Context) -> Line:
    """MR 3.1: the co-creation timeline was public N calendar days before co-creation began
    (the plan's first consultation opened), and every consultation gave N days' notice."""
    days: int = rule("notice_days", ctx.version)
    plan, tz = ctx.plan, ctx.plan.member.zone
    title = _("The co-creation timeline was public %(days)s days before co-creation") % {
        "days": days
    }
    links = [Link(_("The plan and its co-creation timeline"), plan.get_absolute_url())]
    links += [Link(c.title, c.get_absolute_url()) for c in ctx.consultations]
    if plan.notice_published_at is None:
        status = Status.NOT_APPLICABLE if plan.status == PlanStatus.PLANNING else Status.NOT_MET
        return Line(
            "MR 3.1",
            title,
            status,
            _("The co-creation timeline is not published yet."),
            links,
            bool(ctx.consultations),
        )
    late = [
        c
        for c in ctx.consultations
        if c.notice_published_at is not None
        and c.opens_at < earliest_after_notice(c.notice_published_at, days, tz)
    ]
    first = ctx.consultations[0] if ctx.consultations else None
    too_soon = first is not None and first.opens_at < earliest_after_notice(
        plan.notice_published_at, days, tz
    )
    detail = _("Timeline published on %(date)s.") % {
        "date": timezone.localtime(plan.notice_published_at, tz).strftime("%Y-%m-%d %H:%M %Z")
    }
    if too_soon and first is not None:
        detail += " " + _("“%(title)s” opened less than %(days)s days later.") % {
            "title": first.title,
            "days": days,
        }
    if late:
        detail += " " + ngettext(
            "%(count)s consultation opened before its own notice period was over.",
            "%(count)s consultations opened before their own notice period was over.",
            len(late),
        ) % {"count": len(late)}
    met = not too_soon and not late
    return Line(
        "MR 3.1",
        title,
        Status.MET if met else Status.NOT_MET,
        detail,
        links,
        True,
        {"consultations": len(ctx.consultations), "short_notice": len(late)},
    )


def _outreach(ctx: Context) -> Line:
    """MR 3.2: outreach and awareness-raising activities were held for the plan."""
    title = _("Outreach and awareness-raising with stakeholders")
    activities = list(
        OutreachActivity.objects.filter(plan=ctx.plan)
        .order_by("held_on", "pk")
        .only("pk", "plan_id", "title", "held_on")
    )
    links = [Link(f"{a.title} ({a.held_on})", a.get_absolute_url()) for a in activities]
    detail = ngettext(
        "%(count)s outreach activity recorded.",
        "%(count)s outreach activities recorded.",
        len(activities),
    ) % {"count": len(activities)}
    if activities:
        return Line(
            "MR 3.2", title, Status.MET, detail, links, True, {"activities": len(activities)}
        )
    status = Status.NOT_APPLICABLE if ctx.plan.status == PlanStatus.PLANNING else Status.NOT_MET
    return Line(
        "MR 3.2",
        title,
        status,
        detail,
        [Link(_("Outreach log"), reverse("plan_records:outreach-list", args=[ctx.plan.pk]))],
        False,
        {"activities": 0},
    )


def _channels(ctx: Context) -> Line:
    """MR 3.3: people could give input during co-creation, through the channels each
    announced consultation offered."""
    title = _("Channels for anyone to give input during co-creation")
    with_channels = [c for c in ctx.consultations if c.channels]
    used = Counter(code for c in with_channels for code in c.channels)
    labels = dict(Channel.choices)
    if with_channels:
        detail = _("Channels offered: %(channels)s.") % {
            "channels": ", ".join(f"{labels.get(code, code)} ({n})" for code, n in used.items())
        }
        links = [Link(c.title, c.get_absolute_url()) for c in with_channels]
        return Line("MR 3.3", title, Status.MET, detail, links, True, dict(used))
    status = Status.NOT_APPLICABLE if ctx.plan.status == PlanStatus.PLANNING else Status.NOT_MET
    return Line(
        "MR 3.3",
        title,
        status,
        _("No consultation with a channel for input yet."),
        [Link(_("The plan's consultations"), ctx.plan.get_absolute_url())],
        False,
    )


def _reasoned_response(ctx: Context) -> Line:
    """MR 4.1: every proposal of the plan's closed consultations has a published reasoned
    response; links to each closed consultation's report."""
    title = _("A reasoned response to every proposal")
    now = timezone.now()
    closed = [c for c in ctx.consultations if c.closes_at <= now]
    rows = (
        (
            Proposal.objects.published()
            .filter(consultation__in=closed)
            .values("consultation_id")
            .annotate(
                total=Count("pk"),
                answered=Count("pk", filter=Q(response__published_at__isnull=False)),
            )
            .values_list("consultation_id", "total", "answered")
        )
        if closed
        else []
    )
    total = sum(row[1] for row in rows)
    answered = sum(row[2] for row in rows)
    links = [
        Link(
            _("Report: %(title)s") % {"title": c.title},
            reverse("consultations:consultation-report", args=[c.pk]),
        )
        for c in closed
    ]
    counts = {"proposals": total, "answered": answered, "missing": total - answered}
    if total == 0:
        return Line(
            "MR 4.1",
            title,
            Status.NOT_APPLICABLE,
            _("No proposals from closed consultations to answer."),
            links or [Link(_("The plan's consultations"), ctx.plan.get_absolute_url())],
            bool(closed),
            counts,
        )
    detail = ngettext(
        "%(answered)s of %(total)s proposal has a published response.",
        "%(answered)s of %(total)s proposals have a published response.",
        total,
    ) % {"answered": answered, "total": total}
    return Line(
        "MR 4.1",
        title,
        Status.MET if answered == total else Status.NOT_MET,
        detail,
        links,
        True,
        counts,
    )


def _implementation_meetings(ctx: Context) -> Line:
    """MR 5.1: at least N implementation meetings with civil society, with published minutes,
    in each calendar year of the implementation period (forum or working group)."""
    needed: int = rule("implementation_meetings_per_year", ctx.version)
    plan = ctx.plan
    title = ngettext(
        "At least %(n)s implementation meeting with civil society each year",
        "At least %(n)s implementation meetings with civil society each year",
        needed,
    ) % {"n": needed}
    years = calendar_years(plan.period_start, min(plan.period_end, ctx.today))
    if ctx.forum is None or not years:
        where = _meeting_list(ctx.forum) if ctx.forum else reverse("forums:forum-list")
        status = Status.NOT_APPLICABLE if not years else Status.NOT_MET
        detail = (
            _("Implementation has not begun.")
            if not years
            else _("The member has no forum on the portal.")
        )
        return Line("MR 5.1", title, status, detail, [Link(_("Forum meetings"), where)], False)
    meetings = list(
        ForumMeeting.objects.with_published_minutes()
        .filter(
            forum=ctx.forum,
            kind=MeetingKind.IMPLEMENTATION_REVIEW,
            starts_at__gte=day_start(dt.date(years[0], 1, 1), plan),
            starts_at__lt=day_start(dt.date(years[-1] + 1, 1, 1), plan),
        )
        .order_by("starts_at", "pk")
        .only("pk", "title", "starts_at")
    )
    by_year: dict[int, list[ForumMeeting]] = {}
    for meeting in meetings:
        by_year.setdefault(local_date(meeting.starts_at, plan).year, []).append(meeting)
    base = _meeting_list(ctx.forum)
    lines = []
    for year in years:
        held = by_year.get(year, [])
        links = [Link(m.title, m.get_absolute_url()) for m in held] or [
            Link(str(year), f"{base}?kind={MeetingKind.IMPLEMENTATION_REVIEW}&year={year}")
        ]
        lines.append(
            YearLine(
                year, len(held), needed, year_status(len(held), needed, year, ctx.today), links
            )
        )
    detail = ngettext(
        "%(count)s implementation meeting with published minutes in the plan's years.",
        "%(count)s implementation meetings with published minutes in the plan's years.",
        len(meetings),
    ) % {"count": len(meetings)}
    links = [link for y in lines for link in y.links]
    return Line(
        "MR 5.1",
        title,
        overall(lines),
        detail,
        links,
        bool(meetings),
        {"meetings": len(meetings)},
        lines,
    )


def _meeting_list(forum: Forum) -> str:
    return reverse("forums:meeting-list", args=[forum.member.slug])


# Shown in this order on the self-assessment.
REQUIREMENTS = [
    _forum_meets,
    _forum_rules,
    _website,
    _repository,
    _advance_notice,
    _outreach,
    _channels,
    _reasoned_response,
    _implementation_meetings,
]
