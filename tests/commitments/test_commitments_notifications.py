"""Milestone reminders: due within 14 days, and overdue once per due date, to the member's
commitment leads. Dates count from 00:00 in the member's time zone (Europe/Paris here)."""

import datetime as dt
import zoneinfo

import pytest

from commitments.choices import MilestoneStatus
from commitments.models import Milestone
from ogp_portal.core.models import Notification
from ogp_portal.core.reminders import scan
from ogp_portal.organisations.choices import Role
from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory, UserFactory, grant

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MINUTE = dt.timedelta(minutes=1)
DUE_ON = dt.date(2027, 3, 10)
# 00:00 on the due date in Paris
DEADLINE = dt.datetime(2027, 3, 10, tzinfo=PARIS)


def running_commitment(member):
    plan = PlanFactory(
        member=member,
        status="implementation",
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2028, 12, 31),
    )
    return CommitmentFactory(plan=plan)


def notified(kind):
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


@pytest.fixture
def milestone(member, commitment_lead, civil_servant, other_member):
    """Due 10 March 2027, of a commitment being implemented; member B has a lead too."""
    other_lead = UserFactory(email="lead.b@example.org")
    grant(other_lead, Role.COMMITMENT_LEAD, other_member)
    return MilestoneFactory(commitment=running_commitment(member), due_date=DUE_ON)


def test_due_reminder_fires_14_days_before_and_not_a_minute_earlier(milestone):
    scan(DEADLINE - dt.timedelta(days=14) - MINUTE)
    assert notified("milestone.due") == []
    scan(DEADLINE - dt.timedelta(days=14))
    scan(DEADLINE - dt.timedelta(days=2))
    # The member's commitment lead only: not member B's lead, not the civil servant
    assert notified("milestone.due") == ["lead@example.org"]
    note = Notification.objects.get(kind="milestone.due")
    assert milestone.commitment.ogp_id in note.subject
    assert note.url == milestone.commitment.get_absolute_url()


def test_overdue_fires_once_the_due_date_is_over(milestone):
    # On the due date itself it is not overdue yet
    scan(DEADLINE + dt.timedelta(days=1) - MINUTE)
    assert notified("milestone.overdue") == []
    # From 00:00 the day after: overdue, once
    scan(DEADLINE + dt.timedelta(days=1))
    scan(DEADLINE + dt.timedelta(days=3))
    assert notified("milestone.overdue") == ["lead@example.org"]


def test_a_completed_milestone_is_not_reminded(milestone):
    Milestone.objects.filter(pk=milestone.pk).update(status=MilestoneStatus.COMPLETE)
    scan(DEADLINE - dt.timedelta(days=3))
    scan(DEADLINE + dt.timedelta(days=2))
    assert not Notification.objects.exists()


def test_moving_the_due_date_rearms_both_reminders(milestone):
    # Given the due and overdue reminders were sent for 10 March
    scan(DEADLINE - dt.timedelta(days=3))
    scan(DEADLINE + dt.timedelta(days=1))
    assert Notification.objects.count() == 2
    # When the lead moves the milestone to 10 April
    new_due = dt.date(2027, 4, 10)
    Milestone.objects.filter(pk=milestone.pk).update(due_date=new_due)
    new_deadline = dt.datetime(2027, 4, 10, tzinfo=PARIS)
    # Then it is reminded again before the new date, and overdue again after it
    scan(new_deadline - dt.timedelta(days=14))
    assert notified("milestone.due") == ["lead@example.org", "lead@example.org"]
    scan(new_deadline + dt.timedelta(days=1))
    assert notified("milestone.overdue") == ["lead@example.org", "lead@example.org"]


def test_without_a_commitment_lead_the_civil_servants_are_reminded(member, civil_servant):
    MilestoneFactory(commitment=running_commitment(member), due_date=DUE_ON)
    scan(DEADLINE - dt.timedelta(days=1))
    assert notified("milestone.due") == ["civil.servant@example.org"]


def test_milestones_of_a_plan_still_being_drafted_are_not_reminded(member, commitment_lead):
    plan = PlanFactory(member=member, status="drafting", period_end=dt.date(2027, 12, 31))
    MilestoneFactory(commitment=CommitmentFactory(plan=plan), due_date=DUE_ON)
    scan(DEADLINE - dt.timedelta(days=1))
    assert not Notification.objects.exists()
