"""Forum reminders (a meeting coming up, a forum that has not met, minutes overdue) and the
"minutes published" event, each to the right people and to nobody of another forum."""

import datetime as dt
import zoneinfo

import pytest

from forums.choices import MeetingStatus, SeatRole
from forums.models import ForumMeeting, WorkingGroup
from forums.services import meeting_publish_minutes, working_group_add_member
from ogp_portal.core.models import Notification
from ogp_portal.core.reminders import scan
from tests.factories import UserFactory

from .factories import ForumMeetingFactory, ForumSeatFactory, published_meeting

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)


def notified(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


@pytest.fixture
def people(forum, other_forum, msf_member, civil_servant):
    """A seated member with an account, the chair, and a seat on member B's forum."""
    ForumSeatFactory(forum=forum, user=UserFactory(email="seat@example.org"), name="Sam Seat")
    ForumSeatFactory(
        forum=forum, user=UserFactory(email="chair@example.org"), name="Cleo Chair",
        role=SeatRole.CHAIR,
    )  # fmt: skip
    ForumSeatFactory(forum=forum, user=None, name="No Account")
    ForumSeatFactory(forum=other_forum, user=UserFactory(email="seat.b@example.org"), name="B")


FORUM_PEOPLE = ["chair@example.org", "forum@example.org", "seat@example.org"]


def test_members_are_reminded_3_days_before_a_meeting(forum, people):
    starts_at = dt.datetime(2027, 5, 10, 18, tzinfo=PARIS)
    meeting = ForumMeetingFactory(forum=forum, starts_at=starts_at)
    scan(starts_at - 3 * DAY - MINUTE)
    assert notified("meeting.upcoming") == []
    scan(starts_at - 3 * DAY)
    scan(starts_at - DAY)
    # Seated members with an account and the member's forum-member role; not member B's
    assert notified("meeting.upcoming") == FORUM_PEOPLE
    assert Notification.objects.filter(url=meeting.get_absolute_url()).count() == 3
    # Rescheduled a week later: reminded again before the new date
    later = starts_at + 7 * DAY
    ForumMeeting.objects.filter(pk=meeting.pk).update(starts_at=later)
    scan(later - 3 * DAY)
    assert len(notified("meeting.upcoming")) == 6


def test_a_working_group_meeting_reminds_the_group_only(forum, people):
    group = WorkingGroup.objects.create(forum=forum, name="Open contracting")
    working_group_add_member(
        group, actor=None, name="Wendy", sector="civil_society",
        user=UserFactory(email="wendy@example.org"),
    )  # fmt: skip
    starts_at = dt.datetime(2027, 5, 10, 18, tzinfo=PARIS)
    ForumMeetingFactory(forum=forum, working_group=group, starts_at=starts_at)
    scan(starts_at - DAY)
    assert notified("meeting.upcoming") == ["wendy@example.org"]


def test_an_idle_forum_is_flagged_after_5_months(forum, people):
    # Given the forum last met on 15 January 2027
    last = dt.datetime(2027, 1, 15, 10, tzinfo=PARIS)
    published_meeting(forum, last)
    edge = dt.datetime(2027, 6, 15, 10, tzinfo=PARIS)
    scan(edge - MINUTE)
    assert notified("forum.idle") == []
    scan(edge)
    scan(edge + 10 * DAY)
    # The chair and the member's civil servant, once
    assert notified("forum.idle") == ["chair@example.org", "civil.servant@example.org"]
    # A new meeting held in July re-arms it, five months later
    published_meeting(forum, dt.datetime(2027, 7, 1, 10, tzinfo=PARIS))
    scan(dt.datetime(2027, 12, 1, 10, tzinfo=PARIS) - MINUTE)
    assert len(notified("forum.idle")) == 2
    scan(dt.datetime(2027, 12, 1, 10, tzinfo=PARIS))
    assert len(notified("forum.idle")) == 4


def test_only_a_meeting_with_published_minutes_silences_the_5_month_reminder(forum, people):
    # Given the last meeting with minutes on 15 January 2027, then one held in May whose
    # minutes are not out, and one scheduled for July
    published_meeting(forum, dt.datetime(2027, 1, 15, 10, tzinfo=PARIS))
    ForumMeetingFactory(
        forum=forum, starts_at=dt.datetime(2027, 5, 2, 10, tzinfo=PARIS),
        status=MeetingStatus.HELD,
    )  # fmt: skip
    ForumMeetingFactory(forum=forum, starts_at=dt.datetime(2027, 7, 1, 10, tzinfo=PARIS))
    # Then the reminder still goes out five months after January's meeting
    scan(dt.datetime(2027, 6, 15, 10, tzinfo=PARIS))
    assert notified("forum.idle") == ["chair@example.org", "civil.servant@example.org"]


def test_under_the_2017_rules_the_reminder_comes_before_the_quarterly_deadline(
    forum, people, member
):
    from tests.factories import PlanFactory

    # Given a member whose plan in force follows the 2017 rules (a meeting every quarter)
    PlanFactory(
        member=member, period_start=dt.date(2026, 9, 1), period_end=dt.date(2028, 8, 31),
        standards_version="2017", status="implementation",
    )  # fmt: skip
    published_meeting(forum, dt.datetime(2027, 1, 15, 10, tzinfo=PARIS))
    # Then the reminder comes after two months, a month before the 3-month deadline
    scan(dt.datetime(2027, 3, 15, 10, tzinfo=PARIS) - MINUTE)
    assert notified("forum.idle") == []
    scan(dt.datetime(2027, 3, 15, 10, tzinfo=PARIS))
    assert len(notified("forum.idle")) == 2


def test_minutes_overdue_14_days_after_a_held_meeting(forum, people, civil_servant):
    organiser = UserFactory(email="organiser@example.org")
    held = dt.datetime(2027, 3, 1, 10, tzinfo=PARIS)
    ForumMeetingFactory(
        forum=forum, starts_at=held, status=MeetingStatus.HELD, scheduled_by=organiser
    )
    scan(held + 14 * DAY - MINUTE)
    assert notified("minutes.overdue") == []
    scan(held + 14 * DAY)
    scan(held + 20 * DAY)
    # Who scheduled it and the member's civil servant; not the forum's members
    assert notified("minutes.overdue") == ["civil.servant@example.org", "organiser@example.org"]


def test_published_minutes_are_announced_to_the_forum(forum, people, civil_servant):
    meeting = ForumMeetingFactory(
        forum=forum, status=MeetingStatus.HELD, title="Spring meeting", scheduled_by=civil_servant
    )
    meeting_publish_minutes(meeting, actor=civil_servant, minutes_text="We agreed.")
    assert notified("minutes.published") == FORUM_PEOPLE
    note = Notification.objects.filter(kind="minutes.published").first()
    assert "Spring meeting" in note.subject
    assert note.url == meeting.get_absolute_url()
