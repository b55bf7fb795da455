"""The compliance panel: the OGP minimum requirements the portal can check from its own
records (ogp-domain.md §3.8).

Each check is a plain function `(context) -> CheckResult`; CHECKS lists them in the order
shown. Thresholds come from settings.OGP_RULES for the rule set of the member's plan in force
(else its newest). The full, per-plan judgement is the plan's self-assessment
(records/selectors/self_assessment.py), which the panel links to.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Max
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.models import Consultation, InputEntry
from forums.choices import MeetingKind
from forums.dates import add_months
from forums.models import Forum, ForumMeeting
from ogp_portal.core.ogp_rules import DEFAULT_STANDARDS_VERSION, earliest_after_notice, rule
from ogp_portal.organisations.models import Member
from plans.models import ActionPlan

from .models import RepositoryDocument


@dataclass(frozen=True)
class CheckContext:
    member: Member
    today: dt.date  # in the member's time zone
    standards_version: str
    has_forum: bool = True
    # MR 5.1: implementation meetings with published minutes, by calendar year (this year and
    # last), counted once for both lines.
    implementation_meetings: dict[int, int] | None = None
    forum: Forum | None = None  # the member's forum, looked up once for every check


@dataclass(frozen=True)
class CheckResult:
    code: str  # the minimum requirement, e.g. "MR 1.1"
    title: str
    met: bool
    detail: str
    evidence_url: str = ""
    evidence_label: str = ""


def _local_date(value: dt.datetime, member: Member) -> dt.date:
    return timezone.localtime(value, timezone=member.zone).date()


def _start_of_local_day(day: dt.date, member: Member) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=member.zone)


def check_forum_meets(ctx: CheckContext) -> CheckResult:
    """MR 1.1: the forum met, with published minutes, within the last N months (the day N
    months ago counts)."""
    months = rule("forum_max_months_between_meetings", ctx.standards_version)
    since = add_months(ctx.today, -months)
    meeting = (
        ForumMeeting.objects.with_published_minutes()
        .filter(forum__member=ctx.member, working_group__isnull=True)
        .order_by("-starts_at")
        .first()
    )
    met = meeting is not None and _local_date(meeting.starts_at, ctx.member) >= since
    title = ngettext(
        "The forum met, with published minutes, in the last %(n)s month",
        "The forum met, with published minutes, in the last %(n)s months",
        months,
    ) % {"n": months}
    forum = ctx.forum
    if forum is None:
        return CheckResult("MR 1.1", title, False, _("The member has no forum."))
    if not forum.has_published_rules:
        # The forum's rules of participation must be public (MR 1.1), whatever it did.
        return CheckResult(
            "MR 1.1",
            title,
            False,
            _("The forum's rules of participation are not published."),
            reverse("forums:forum-detail", args=[ctx.member.slug]) + "#rules",
            forum.name,
        )
    if meeting is None:
        return CheckResult("MR 1.1", title, False, _("No meeting with published minutes yet."))
    return CheckResult(
        "MR 1.1",
        title,
        met,
        _("Last meeting with published minutes: %(date)s.")
        % {"date": _local_date(meeting.starts_at, ctx.member).isoformat()},
        meeting.get_absolute_url(),
        meeting.title,
    )


def _implementation_meetings_in(ctx: CheckContext, year: int, *, so_far: bool) -> CheckResult:
    """MR 5.1: at least N implementation-review meetings with civil society, with published
    minutes, in calendar `year` of the member's zone (forum or working group)."""
    needed = rule("implementation_meetings_per_year", ctx.standards_version)
    counts = ctx.implementation_meetings
    if counts is None or year not in counts:
        counts = implementation_meetings_by_year(ctx.member, year, year)
    count = counts.get(year, 0)
    title = ngettext(
        "At least %(n)s implementation meeting with civil society in %(year)s",
        "At least %(n)s implementation meetings with civil society in %(year)s",
        needed,
    ) % {"n": needed, "year": year}
    if so_far:
        detail = ngettext(
            "%(count)s meeting with published minutes so far.",
            "%(count)s meetings with published minutes so far.",
            count,
        ) % {"count": count}
    else:
        detail = ngettext(
            "%(count)s meeting with published minutes that year.",
            "%(count)s meetings with published minutes that year.",
            count,
        ) % {"count": count}
    if not ctx.has_forum:
        # No forum, no meeting list to point at (it would be a 404).
        return CheckResult("MR 5.1", title, count >= needed, detail)
    url = reverse("forums:meeting-list", args=[ctx.member.slug])
    return CheckResult(
        "MR 5.1",
        title,
        count >= needed,
        detail,
        f"{url}?kind={MeetingKind.IMPLEMENTATION_REVIEW}&year={year}",
        _("Implementation meetings"),
    )


def implementation_meetings_by_year(member: Member, first: int, last: int) -> dict[int, int]:
    """Implementation-review meetings with published minutes per calendar year of the
    member's zone, from `first` to `last` (one query)."""
    rows = (
        ForumMeeting.objects.with_published_minutes()
        .filter(
            forum__member=member,
            kind=MeetingKind.IMPLEMENTATION_REVIEW,
            starts_at__gte=_start_of_local_day(dt.date(first, 1, 1), member),
            starts_at__lt=_start_of_local_day(dt.date(last + 1, 1, 1), member),
        )
        .annotate(year=ExtractYear("starts_at", tzinfo=member.zone))
        .values("year")
        .annotate(n=Count("pk"))
        .values_list("year", "n")
    )
    return dict.fromkeys(range(first, last + 1), 0) | dict(rows)


def check_implementation_meetings(ctx: CheckContext) -> CheckResult:
    """MR 5.1 in the current calendar year (so far)."""
    return _implementation_meetings_in(ctx, ctx.today.year, so_far=True)


def check_implementation_meetings_last_year(ctx: CheckContext) -> CheckResult:
    """MR 5.1 in the last calendar year: still shown in January, when this year has barely
    begun."""
    return _implementation_meetings_in(ctx, ctx.today.year - 1, so_far=False)


def check_repository_updated(ctx: CheckContext) -> CheckResult:
    """MR 2.2: the repository was updated (a document published or changed) within the last
    N months (the day N months ago counts)."""
    months = rule("repository_max_months_without_update", ctx.standards_version)
    last = repository_last_updated(ctx.member)
    title = ngettext(
        "The repository was updated in the last %(n)s month",
        "The repository was updated in the last %(n)s months",
        months,
    ) % {"n": months}
    url = reverse("records:repository", args=[ctx.member.slug])
    if last is None:
        return CheckResult(
            "MR 2.2", title, False, _("The repository is empty."), url, _("Repository")
        )
    day = _local_date(last, ctx.member)
    return CheckResult(
        "MR 2.2",
        title,
        day >= add_months(ctx.today, -months),
        _("Last updated: %(date)s.") % {"date": day.isoformat()},
        url,
        _("Repository"),
    )


def repository_last_updated(member: Member) -> dt.datetime | None:
    """The newest publication or change in the member's published repository."""
    now = timezone.now()
    values = (
        RepositoryDocument.objects.filter(member=member)
        .published(now)
        .aggregate(updated=Max("updated_at"), published=Max("published_at"))
    )
    candidates = [v for v in values.values() if v is not None]
    # An update time in the future of a not-yet-published record never counts.
    return min(max(candidates), now) if candidates else None


def check_consultation_notice(ctx: CheckContext) -> CheckResult:
    """MR 3.1: the latest announced consultation gave at least the notice period."""
    days = rule("notice_days", ctx.standards_version)
    title = _("Advance notice of the last consultation (%(days)s days)") % {"days": days}
    latest = (
        Consultation.objects.filter(plan__member=ctx.member, notice_published_at__isnull=False)
        .order_by("-opens_at", "-pk")
        .first()
    )
    if latest is None:
        return CheckResult("MR 3.1", title, False, _("No consultation has been announced yet."))
    # Calendar days in the member's zone, as the opening guard counts them.
    met = latest.opens_at >= earliest_after_notice(
        latest.notice_published_at, days, ctx.member.zone
    )
    given = _local_date(latest.opens_at, ctx.member) - _local_date(
        latest.notice_published_at, ctx.member
    )
    detail = _("“%(title)s” was announced %(given)s days before it opened.") % {
        "title": latest.title,
        "given": given.days,
    }
    return CheckResult(
        "MR 3.1", title, met, detail, latest.get_absolute_url(), _("The consultation")
    )


def check_every_proposal_answered(ctx: CheckContext) -> CheckResult:
    """MR 4.1: every input to the member's current plan (its whole ledger: proposals, answers,
    comments, offline and meeting input) has a published reasoned response."""
    title = _("A reasoned response to every input")
    plan = (
        ActionPlan.objects.filter(member=ctx.member, input_entries__isnull=False)
        .order_by("-period_start", "-pk")
        .first()
    )
    if plan is None:
        return CheckResult("MR 4.1", title, True, _("No input to answer yet."))
    entries = InputEntry.objects.counted().filter(plan=plan)
    total = entries.count()
    answered = entries.answered().count()
    detail = ngettext(
        "%(answered)s of %(total)s input to “%(plan)s” has a published response.",
        "%(answered)s of %(total)s inputs to “%(plan)s” have a published response.",
        total,
    ) % {"answered": answered, "total": total, "plan": plan.title}
    return CheckResult(
        "MR 4.1", title, answered == total, detail,
        reverse("ledger:input-list", args=[plan.pk]), _("Every input and its response"),
    )  # fmt: skip


Check = Callable[[CheckContext], CheckResult]

# Shown in this order.
CHECKS: list[Check] = [
    check_forum_meets,
    check_implementation_meetings,
    check_implementation_meetings_last_year,
    check_repository_updated,
    check_consultation_notice,
    check_every_proposal_answered,
]


def standards_version_for(member: Member, today: dt.date | None = None) -> str:
    """The rule set of the member's plan in force `today`, else of its newest plan; the 2021
    standards when it has none. (Each plan's self-assessment uses the plan's own.)"""
    plans = list(
        member.action_plans.order_by("-period_start", "-pk").values_list(
            "period_start", "period_end", "standards_version"
        )
    )
    in_force = [v for start, end, v in plans if today is not None and start <= today <= end]
    newest = [v for _start, _end, v in plans]
    return (in_force or newest or [DEFAULT_STANDARDS_VERSION])[0]


def run_checks(member: Member, *, today: dt.date | None = None) -> tuple[str, list[CheckResult]]:
    if today is None:
        today = timezone.localtime(timezone.now(), timezone=member.zone).date()
    version = standards_version_for(member, today)
    forum = Forum.objects.filter(member=member).first()
    ctx = CheckContext(
        member=member,
        today=today,
        standards_version=version,
        has_forum=forum is not None,
        forum=forum,
        implementation_meetings=implementation_meetings_by_year(member, today.year - 1, today.year),
    )
    return version, [check(ctx) for check in CHECKS]
