"""The home page says what is happening, and a member's page links to its record."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.models import Decision, Forum, ForumMeeting
from tests.consultations.test_services import make_consultation, make_proposal
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="co_creation")


def test_home_lists_open_and_coming_consultations_with_deadlines(client, plan):
    now = timezone.now()
    make_consultation(plan, title="Ideas wanted")
    make_consultation(
        plan,
        title="Coming soon",
        opens_at=now + dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=30),
    )
    make_consultation(plan, title="Being prepared", notice_published_at=None)
    make_consultation(plan, title="Long closed", is_open=False)
    page = client.get(reverse("core:home")).content.decode()
    assert "Ideas wanted" in page
    assert "Closes on" in page
    assert "Coming soon" in page
    assert "Opens on" in page
    assert "Being prepared" not in page
    assert "Long closed" not in page
    assert "How to take part" in page


def test_home_lists_latest_responses_meetings_and_decisions(
    client_for, client, plan, citizen, civil_servant, member
):
    consultation = make_consultation(plan)
    proposal = make_proposal(citizen, consultation, title="Open the registers")
    client_for(civil_servant).post(
        reverse("consultations:proposal-review", args=[proposal.pk]),
        {"decision": "not_accepted", "reason": "Done already."},
    )
    forum = Forum.objects.create(member=member, name="Valdoria OGP Forum")
    ForumMeeting.objects.create(
        forum=forum,
        title="Spring meeting",
        starts_at=timezone.now() + dt.timedelta(days=5),
        agenda="Plan",
        location="Town hall",
    )
    held = ForumMeeting.objects.create(
        forum=forum,
        title="Winter meeting",
        starts_at=timezone.now() - dt.timedelta(days=40),
        agenda="Plan",
        location="Town hall",
        status="minutes_published",
        minutes_text="We met.",
        minutes_published_at=timezone.now() - dt.timedelta(days=30),
    )
    Decision.objects.create(meeting=held, text="Adopt the forum rules")
    page = client.get(reverse("core:home")).content.decode()
    assert "Open the registers" in page
    assert "Not taken up" in page  # the ledger's name for a proposal not accepted
    assert "Spring meeting" in page
    assert "Adopt the forum rules" in page


def test_home_queries_are_bounded(client, plan, citizen, django_assert_max_num_queries):
    for i in range(30):
        make_consultation(plan, title=f"Window {i}")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("core:home"))
    assert response.content.decode().count("Window ") == 6


def test_member_page_links_to_forum_repository_and_open_data(client, member):
    Forum.objects.create(member=member, name="Valdoria OGP Forum")
    page = client.get(member.get_absolute_url()).content.decode()
    assert reverse("forums:forum-detail", args=[member.slug]) in page
    assert reverse("records:repository", args=[member.slug]) in page
    assert reverse("opendata:index") in page
