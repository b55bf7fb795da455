"""A running plan ends within 6 months and no next plan is started: the member's civil
servants and the secretariat are reminded (00:00 Paris time, calendar months)."""

import datetime as dt
import zoneinfo

import pytest

from ogp_portal.core.models import Notification
from ogp_portal.core.reminders import scan
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MINUTE = dt.timedelta(minutes=1)
# The plan's last day is 31 December 2027; six calendar months before is 30 June 2027.
ENDS_ON = dt.date(2027, 12, 31)
EDGE = dt.datetime(2027, 6, 30, tzinfo=PARIS)


def notified():
    return sorted(
        Notification.objects.filter(kind="plan.ending").values_list("recipient__email", flat=True)
    )


@pytest.fixture
def plan(member, civil_servant, secretariat, other_member_civil_servant):
    return PlanFactory(
        member=member,
        sequence_no=1,
        status="implementation",
        period_start=dt.date(2026, 1, 1),
        period_end=ENDS_ON,
    )


def test_reminded_six_months_before_the_end_and_not_a_minute_earlier(plan):
    scan(EDGE - MINUTE)
    assert notified() == []
    scan(EDGE)
    scan(EDGE + dt.timedelta(days=30))
    # The member's civil servant and the secretariat, once; not member B's civil servant
    assert notified() == ["civil.servant@example.org", "secretariat@example.org"]
    note = Notification.objects.filter(kind="plan.ending").first()
    assert note.url == plan.get_absolute_url()


def test_no_reminder_once_the_next_plan_is_started(plan, member):
    PlanFactory(
        member=member,
        sequence_no=2,
        status="notice",
        period_start=dt.date(2028, 1, 1),
        period_end=dt.date(2029, 12, 31),
    )
    scan(EDGE + dt.timedelta(days=1))
    assert notified() == []


def test_a_successor_of_another_member_does_not_count(plan, other_member):
    PlanFactory(member=other_member, sequence_no=2, status="planning")
    scan(EDGE)
    assert notified() == ["civil.servant@example.org", "secretariat@example.org"]


def test_extending_the_plan_reminds_again_before_the_new_end(plan):
    scan(EDGE)
    assert len(notified()) == 2
    plan.period_end = dt.date(2028, 6, 30)
    plan.save()
    scan(dt.datetime(2027, 12, 30, tzinfo=PARIS) - MINUTE)
    assert len(notified()) == 2
    scan(dt.datetime(2027, 12, 30, tzinfo=PARIS))
    assert len(notified()) == 4


def test_a_successor_stuck_in_planning_does_not_silence_the_reminder(plan, member):
    PlanFactory(
        member=member, sequence_no=2, status="planning", period_start=dt.date(2028, 1, 1),
        period_end=dt.date(2029, 12, 31),
    )  # fmt: skip
    scan(EDGE + dt.timedelta(days=1))
    assert notified() == ["civil.servant@example.org", "secretariat@example.org"]


def red_notified():
    return sorted(
        Notification.objects.filter(kind="plan.procedural_review").values_list(
            "recipient__email", flat=True
        )
    )


def test_the_red_state_sends_one_email_even_with_a_successor_stuck_in_planning(plan, member):
    # Given a successor that never left planning
    PlanFactory(
        member=member, sequence_no=2, status="planning", period_start=dt.date(2028, 1, 1),
        period_end=dt.date(2029, 12, 31),
    )  # fmt: skip
    # 12 months after 31 December 2027 is 31 December 2028: red from 1 January 2029, 00:00
    red = dt.datetime(2029, 1, 1, tzinfo=PARIS)
    scan(red - MINUTE)
    assert red_notified() == []
    # Scanned every day for a week: one notice each, once
    for day in range(7):
        scan(red + dt.timedelta(days=day, hours=6))
    assert red_notified() == ["civil.servant@example.org", "secretariat@example.org"]
    assert Notification.objects.filter(kind="plan.procedural_review").count() == 2


def test_no_red_email_once_a_successor_is_adopted(plan, member):
    PlanFactory(
        member=member, sequence_no=2, status="adopted", period_start=dt.date(2028, 1, 1),
        period_end=dt.date(2029, 12, 31),
    )  # fmt: skip
    scan(dt.datetime(2029, 1, 2, tzinfo=PARIS))
    assert red_notified() == []
