"""Forum decisions that gate the plan (issue #16): where the forum's rules say so, adopting a
plan and publishing its co-creation timeline each need a passed forum decision naming the
plan, on the public record. Seen from the plan's page and its transition button."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.choices import DecisionOutcome, MeetingStatus, Sector
from forums.models import Decision
from plans.choices import PlanStatus
from tests.factories import PlanFactory

from .factories import ForumMeetingFactory, ForumSeatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gated_forum(forum):
    forum.adoption_requires_decision = True
    forum.timeline_requires_decision = True
    forum.save()
    return forum


def decide(forum, plan, purpose, *, outcome=DecisionOutcome.PASSED, published=True):
    meeting = ForumMeetingFactory(
        forum=forum,
        status=MeetingStatus.MINUTES_PUBLISHED if published else MeetingStatus.HELD,
        minutes_text="Minutes." if published else "",
        minutes_published_at=timezone.now() if published else None,
    )
    return Decision.objects.create(
        meeting=meeting, text="The forum decides.", method="consensus", outcome=outcome,
        plan=plan, purpose=purpose,
    )  # fmt: skip


def move(client, plan, to):
    return client.post(reverse("plans:plan-transition", args=[plan.pk]), {"to": to}, follow=True)


def test_adoption_waits_for_the_forums_decision(client_for, civil_servant, gated_forum, member):
    plan = PlanFactory(member=member, status=PlanStatus.REASONED_RESPONSE)
    client = client_for(civil_servant)
    page = html.unescape(client.get(plan.get_absolute_url()).content.decode())
    assert "The forum's rules ask for its decision first" in page
    response = move(client, plan, PlanStatus.ADOPTED)
    assert "The forum's rules ask for its decision first" in html.unescape(
        response.content.decode()
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REASONED_RESPONSE

    # A failed motion, or one about the timeline, does not open the gate.
    decide(gated_forum, plan, "adopt_plan", outcome=DecisionOutcome.FAILED)
    decide(gated_forum, plan, "publish_timeline")
    move(client, plan, PlanStatus.ADOPTED)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REASONED_RESPONSE

    # A passed one whose minutes are still to come counts once they are published.
    pending = decide(gated_forum, plan, "adopt_plan", published=False)
    response = move(client, plan, PlanStatus.ADOPTED)
    assert "it counts once the minutes of that meeting are published" in response.content.decode()
    meeting = pending.meeting
    meeting.status = MeetingStatus.MINUTES_PUBLISHED
    meeting.minutes_text = "Minutes."
    meeting.minutes_published_at = timezone.now()
    meeting.save()
    move(client, plan, PlanStatus.ADOPTED)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED


def test_publishing_the_timeline_waits_for_the_forums_decision(
    client_for, civil_servant, gated_forum, member
):
    plan = PlanFactory(
        member=member, status=PlanStatus.PLANNING, co_creation_timeline="March: ideas."
    )
    client = client_for(civil_servant)
    move(client, plan, PlanStatus.NOTICE)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNING
    decide(gated_forum, plan, "publish_timeline")
    move(client, plan, PlanStatus.NOTICE)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.NOTICE


def test_a_decision_of_another_members_forum_does_not_count(
    client_for, civil_servant, gated_forum, other_forum, member
):
    plan = PlanFactory(member=member, status=PlanStatus.REASONED_RESPONSE)
    decide(other_forum, plan, "adopt_plan")
    move(client_for(civil_servant), plan, PlanStatus.ADOPTED)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REASONED_RESPONSE


def test_without_the_rule_nothing_changes(client_for, civil_servant, forum, member):
    plan = PlanFactory(member=member, status=PlanStatus.REASONED_RESPONSE)
    move(client_for(civil_servant), plan, PlanStatus.ADOPTED)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED


def test_a_motion_names_a_plan_and_its_purpose(client_for, civil_servant, gated_forum, member):
    plan = PlanFactory(member=member, status=PlanStatus.REASONED_RESPONSE)
    seat = ForumSeatFactory(forum=gated_forum, sector=Sector.GOVERNMENT)
    meeting = ForumMeetingFactory(forum=gated_forum, status=MeetingStatus.HELD)
    client = client_for(civil_servant)
    url = reverse("forums:meeting-motion", args=[meeting.pk])
    base = {"text": "Adopt the plan", "method": "consensus", f"seat_{seat.pk}": "yes"}
    response = client.post(url, {**base, "purpose": "adopt_plan"})
    assert response.status_code == 400
    assert "Name the action plan this decision is about." in response.content.decode()
    other_plan = PlanFactory(status=PlanStatus.REASONED_RESPONSE)
    response = client.post(url, {**base, "purpose": "adopt_plan", "plan": other_plan.pk})
    assert response.status_code == 400
    assert client.post(url, {**base, "purpose": "adopt_plan", "plan": plan.pk}).status_code == 302
    assert Decision.objects.get().plan == plan
