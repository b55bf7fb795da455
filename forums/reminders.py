"""Forum reminders and the notification kinds of forums.

Recipients (decisions recorded here, as the brief left them open):
* A meeting's audience ("meeting upcoming", "minutes published"): for a forum meeting, the
  people holding a current seat with a portal account and the member's forum-member role
  holders; for a working-group meeting, the group's members with a portal account.
* "forum idle" (no meeting with published minutes for the rule set's
  `forum_reminder_months`, a month before MR 1.1's deadline): the current chair (if it has a
  portal account) and the member's civil servants, who schedule meetings on the portal.
  Only what satisfies the rule silences it: a scheduled meeting or one held without
  published minutes does not.
* "minutes overdue": the person who scheduled the meeting and the member's civil servants
  (the forum's secretariat on the portal: they publish minutes); not the chair, who may
  sit for civil society and does not keep the record.
"""

import datetime as dt
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from ogp_portal.core.ogp_rules import rule
from ogp_portal.core.reminders import Due, lazy_format, unique_users, users_with_role
from ogp_portal.organisations.choices import Role
from plans.models import ActionPlan

from .choices import MeetingStatus
from .models import Forum, ForumMeeting, ForumSeat, WorkingGroupMember

HELD = (MeetingStatus.HELD, MeetingStatus.MINUTES_PUBLISHED)


def _audiences(meetings: list[ForumMeeting], day: dt.date) -> dict[int, list]:
    """Each meeting's audience, by meeting id, in three queries whatever the number."""
    forum_ids = {m.forum_id for m in meetings if m.working_group_id is None}
    group_ids = {m.working_group_id for m in meetings if m.working_group_id is not None}
    seated: dict[int, list] = {}
    for seat in (
        ForumSeat.objects.current(day)
        .filter(forum_id__in=forum_ids, user__isnull=False, user__is_active=True)
        .select_related("user")
        .order_by("forum_id", "user_id")
    ):
        seated.setdefault(seat.forum_id, []).append(seat.user)
    role_holders = users_with_role(
        Role.FORUM_MEMBER, {m.forum.member_id for m in meetings if m.working_group_id is None}
    )
    grouped: dict[int, list] = {}
    for member in (
        WorkingGroupMember.objects.filter(
            group_id__in=group_ids, user__isnull=False, user__is_active=True
        )
        .select_related("user")
        .order_by("group_id", "user_id")
    ):
        grouped.setdefault(member.group_id, []).append(member.user)
    return {
        meeting.pk: (
            unique_users(grouped.get(meeting.working_group_id, []))
            if meeting.working_group_id
            else unique_users(
                seated.get(meeting.forum_id, []), role_holders.get(meeting.forum.member_id, [])
            )
        )
        for meeting in meetings
    }


def meeting_audience(meeting: ForumMeeting, day: dt.date | None = None) -> list:
    """The people a meeting concerns (see the module docstring)."""
    day = day or dt.datetime.now(tz=meeting.forum.member.zone).date()
    return _audiences([meeting], day)[meeting.pk]


def _local_today(now: dt.datetime, member) -> dt.date:
    return now.astimezone(member.zone).date()


def meeting_upcoming_scanner(now: dt.datetime) -> Iterator[Due]:
    """A scheduled meeting starting within `meeting_upcoming_days` (edge: exactly that long
    before it starts), to its audience; a rescheduled meeting is reminded again."""
    before = dt.timedelta(days=settings.OGP_REMINDERS["meeting_upcoming_days"])
    meetings = list(
        ForumMeeting.objects.filter(
            status=MeetingStatus.SCHEDULED, starts_at__gt=now, starts_at__lte=now + before
        )
        .select_related("forum__member", "working_group")
        .order_by("starts_at", "pk")
    )
    if not meetings:
        return
    audiences = _audiences(meetings, now.date())
    for meeting in meetings:
        yield Due(
            kind="meeting.upcoming",
            target=meeting,
            deadline=meeting.starts_at,
            recipients=audiences[meeting.pk],
            subject=lazy_format(_("Forum meeting coming up: %(title)s"), {"title": meeting.title}),
            template="forums/emails/meeting_upcoming.txt",
            context={"meeting": meeting, "time_zone": meeting.forum.member.time_zone},
            url=meeting.get_absolute_url(),
        )


def forum_idle_scanner(now: dt.datetime) -> Iterator[Due]:
    """A forum whose last meeting with published minutes (or, never having had one, its
    creation) is `forum_reminder_months` calendar months ago or more, under the rule set of
    the member's plan in force (else its newest plan; 2021 without a plan): 5 months under
    the 2021 rules (meetings every 6 months), 2 under the 2017 ones (every quarter). Once per
    last meeting: publishing new minutes re-arms it. One row per member."""
    forums = list(
        Forum.objects.annotate(
            last_held=Max(
                "meetings__starts_at",
                filter=Q(
                    meetings__working_group__isnull=True,
                    meetings__status=MeetingStatus.MINUTES_PUBLISHED,
                ),
            ),
        )
        .select_related("member")
        .order_by("pk")
    )
    versions = _rule_sets({f.member_id for f in forums}, now)
    due = []
    for forum in forums:
        tz = forum.member.zone
        since = (forum.last_held or forum.created_at).astimezone(tz)
        months = rule("forum_reminder_months", versions.get(forum.member_id))
        deadline = since + relativedelta(months=months)
        if now >= deadline:
            due.append((forum, deadline))
    if not due:
        return
    civil_servants = users_with_role(Role.CIVIL_SERVANT, {f.member_id for f, _d in due})
    for forum, deadline in due:
        months = rule("forum_reminder_months", versions.get(forum.member_id))
        chair = forum.chair_on(_local_today(now, forum.member))
        yield Due(
            kind="forum.idle",
            target=forum,
            deadline=deadline,
            recipients=unique_users(
                [chair.user] if chair and chair.user and chair.user.is_active else [],
                civil_servants.get(forum.member_id, []),
            ),
            subject=lazy_format(
                _("%(forum)s has not met for %(months)s months"),
                {"forum": forum.name, "months": months},
            ),
            template="forums/emails/forum_idle.txt",
            context={
                "forum": forum,
                "months": months,
                "rule_months": rule(
                    "forum_max_months_between_meetings", versions.get(forum.member_id)
                ),
                "last_held": forum.last_held,
                "time_zone": forum.member.time_zone,
            },
            url=forum.get_absolute_url(),
        )


def _rule_sets(member_ids: set[int], now: dt.datetime) -> dict[int, str]:
    """Each member's rule set: its plan in force on `now`'s date, else its newest plan (one
    query for all members)."""
    today = now.date()
    chosen: dict[int, tuple[bool, dt.date, str]] = {}
    plans = ActionPlan.objects.filter(member_id__in=member_ids).values_list(
        "member_id", "period_start", "period_end", "standards_version"
    )
    for member_id, start, end, version in plans:
        key = (start <= today <= end, start, version)
        if member_id not in chosen or key[:2] > chosen[member_id][:2]:
            chosen[member_id] = key
    return {member_id: key[2] for member_id, key in chosen.items()}


def minutes_overdue_scanner(now: dt.datetime) -> Iterator[Due]:
    """A meeting held (attendance recorded) whose minutes are still unpublished
    `minutes_overdue_days` after it started; fires during the following equal period (a
    catch-up window that keeps the query bounded)."""
    days = dt.timedelta(days=settings.OGP_REMINDERS["minutes_overdue_days"])
    meetings = list(
        ForumMeeting.objects.filter(
            status=MeetingStatus.HELD,
            starts_at__lte=now - days,
            starts_at__gt=now - 2 * days,
        )
        .select_related("forum__member", "scheduled_by")
        .order_by("starts_at", "pk")
    )
    if not meetings:
        return
    civil_servants = users_with_role(Role.CIVIL_SERVANT, {m.forum.member_id for m in meetings})
    for meeting in meetings:
        organiser = meeting.scheduled_by
        yield Due(
            kind="minutes.overdue",
            target=meeting,
            deadline=meeting.starts_at + days,
            recipients=unique_users(
                [organiser] if organiser and organiser.is_active else [],
                civil_servants.get(meeting.forum.member_id, []),
            ),
            subject=lazy_format(
                _("Minutes of %(title)s are not published yet"), {"title": meeting.title}
            ),
            template="forums/emails/minutes_overdue.txt",
            context={
                "meeting": meeting,
                "days": days.days,
                "time_zone": meeting.forum.member.time_zone,
            },
            url=meeting.get_absolute_url(),
        )


def register() -> None:
    from ogp_portal.core.notifications import AUDIENCE_STAFF, register_kind
    from ogp_portal.core.reminders import register_scanner

    register_kind(
        "meeting.upcoming",
        _("A forum meeting is coming up"),
        _("Sent to the forum's (or working group's) members a few days before a meeting."),
    )
    register_kind(
        "minutes.published",
        _("Meeting minutes are published"),
        _("Sent to the forum's members when the minutes of a meeting are published."),
    )
    register_kind(
        "forum.idle",
        _("The forum has not met for months"),
        _("Sent to the chair and the member's civil servants when no meeting was held lately."),
        audience=AUDIENCE_STAFF,
    )
    register_kind(
        "minutes.overdue",
        _("Meeting minutes are overdue"),
        _("Sent to whoever scheduled a meeting, and civil servants, while minutes are missing."),
        audience=AUDIENCE_STAFF,
    )
    register_scanner(meeting_upcoming_scanner)
    register_scanner(forum_idle_scanner)
    register_scanner(minutes_overdue_scanner)
