"""The compliance panel: the OGP minimum requirements the portal can check from its own
records (ogp-domain.md §3.8).

Each check is a plain function `(context) -> CheckResult`; CHECKS lists them in the order
shown. Thresholds come from settings.OGP_RULES for the rule set of the member's newest plan.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.models import Consultation, Proposal
from forums.choices import MeetingKind
from forums.dates import add_months
from forums.models import Forum, ForumMeeting
from ogp_portal.core.ogp_rules import DEFAULT_STANDARDS_VERSION, rule
from ogp_portal.organisations.models import Member

from .models import RepositoryDocument


@dataclass(frozen=True)
class CheckContext:
    member: Member
    today: dt.date  # in the member's time zone
    standards_version: str
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


def check_implementation_meetings(ctx: CheckContext) -> CheckResult:
    """MR 5.1: at least N implementation-review meetings with civil society, with published
    minutes, in the current calendar year (forum or working group)."""
    needed = rule("implementation_meetings_per_year", ctx.standards_version)
    start = _start_of_local_day(dt.date(ctx.today.year, 1, 1), ctx.member)
    end = _start_of_local_day(dt.date(ctx.today.year + 1, 1, 1), ctx.member)
    meetings = list(
        ForumMeeting.objects.with_published_minutes()
        .filter(
            forum__member=ctx.member,
            kind=MeetingKind.IMPLEMENTATION_REVIEW,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .order_by("-starts_at")
        .only("pk", "title", "starts_at")
    )
    title = ngettext(
        "At least %(n)s implementation meeting with civil society in %(year)s",
        "At least %(n)s implementation meetings with civil society in %(year)s",
        needed,
    ) % {"n": needed, "year": ctx.today.year}
    detail = ngettext(
        "%(count)s meeting with published minutes so far.",
        "%(count)s meetings with published minutes so far.",
        len(meetings),
    ) % {"count": len(meetings)}
    if ctx.forum is None:
        # No forum, no meeting list to point at (it would be a 404).
        return CheckResult("MR 5.1", title, len(meetings) >= needed, detail)
    url = reverse("forums:meeting-list", args=[ctx.member.slug])
    return CheckResult(
        "MR 5.1",
        title,
        len(meetings) >= needed,
        detail,
        f"{url}?kind={MeetingKind.IMPLEMENTATION_REVIEW}&year={ctx.today.year}",
        _("Implementation meetings"),
    )


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
    given = latest.opens_at - latest.notice_published_at
    met = given >= dt.timedelta(days=days)
    detail = _("“%(title)s” was announced %(given)s days before it opened.") % {
        "title": latest.title,
        "given": given.days,
    }
    return CheckResult(
        "MR 3.1", title, met, detail, latest.get_absolute_url(), _("The consultation")
    )


def check_every_proposal_answered(ctx: CheckContext) -> CheckResult:
    """MR 4.1: every proposal whose window has closed has a published reasoned response."""
    title = _("A reasoned response to every proposal")
    closed = Proposal.objects.published().filter(
        consultation__plan__member=ctx.member, consultation__closes_at__lte=timezone.now()
    )
    total = closed.count()
    missing = closed.filter(response__published_at__isnull=True).count()
    if total == 0:
        return CheckResult(
            "MR 4.1", title, True, _("No proposals from closed consultations to answer yet.")
        )
    detail = ngettext(
        "%(missing)s of %(total)s proposals from closed consultations has no published response.",
        "%(missing)s of %(total)s proposals from closed consultations have no published response.",
        missing,
    ) % {"missing": missing, "total": total}
    latest = (
        Consultation.objects.filter(plan__member=ctx.member, closes_at__lte=timezone.now())
        .order_by("-closes_at")
        .first()
    )
    if latest is None:  # the proposals counted above come from one, so it exists
        return CheckResult("MR 4.1", title, missing == 0, detail)
    return CheckResult(
        "MR 4.1", title, missing == 0, detail,
        reverse("consultations:consultation-report", args=[latest.pk]), _("Consultation report"),
    )  # fmt: skip


Check = Callable[[CheckContext], CheckResult]

# Shown in this order.
CHECKS: list[Check] = [
    check_forum_meets,
    check_implementation_meetings,
    check_repository_updated,
    check_consultation_notice,
    check_every_proposal_answered,
]


def standards_version_for(member: Member) -> str:
    """The rule set of the member's newest plan; the 2021 standards when it has none."""
    version = (
        member.action_plans.order_by("-period_start", "-pk")
        .values_list("standards_version", flat=True)
        .first()
    )
    return version or DEFAULT_STANDARDS_VERSION


def run_checks(member: Member, *, today: dt.date | None = None) -> tuple[str, list[CheckResult]]:
    version = standards_version_for(member)
    if today is None:
        today = timezone.localtime(timezone.now(), timezone=member.zone).date()
    forum = Forum.objects.filter(member=member).first()
    ctx = CheckContext(member=member, today=today, standards_version=version, forum=forum)
    return version, [check(ctx) for check in CHECKS]
