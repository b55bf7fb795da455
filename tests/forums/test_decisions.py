"""Forum decisions (issue #16): motions decided by consensus or by a vote per seat under the
forum's quorum and parity rules, the public list of decisions with who voted how, and the
plan's stages they gate. From the outside, through the pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.choices import DecisionOutcome, MeetingStatus, Sector
from forums.models import Decision
from plans.choices import PlanStatus
from tests.factories import PlanFactory, UserFactory

from .factories import ForumMeetingFactory, ForumSeatFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def parity_forum(forum):
    """5 + 5 seats, all filled; quorum 60 % of the seats (6), a majority in each sector."""
    forum.quorum_percent = 60
    forum.majority_in_each_sector = True
    forum.save()
    return forum


@pytest.fixture
def seats(parity_forum):
    return {
        sector: [
            ForumSeatFactory(forum=parity_forum, sector=sector, name=f"{sector} {i}")
            for i in range(5)
        ]
        for sector in (Sector.GOVERNMENT, Sector.CIVIL_SOCIETY)
    }


@pytest.fixture
def meeting(parity_forum):
    meeting = ForumMeetingFactory(forum=parity_forum, status=MeetingStatus.HELD)
    meeting.attendance.create(sector=Sector.GOVERNMENT, count=5)
    return meeting


def motion(seats, gov, cso, text="Adopt the calendar", method="vote", **extra):
    """POST data: the first votes of each sector as given, the other seats absent."""
    data = {"text": text, "method": method, **extra}
    for sector, choices in ((Sector.GOVERNMENT, gov), (Sector.CIVIL_SOCIETY, cso)):
        for seat, choice in zip(seats[sector], choices, strict=False):
            data[f"seat_{seat.pk}"] = choice
    return data


def put(client, meeting, data):
    return client.post(reverse("forums:meeting-motion", args=[meeting.pk]), data)


def test_a_motion_passes_with_quorum_and_a_majority_in_each_sector(
    client_for, civil_servant, seats, meeting
):
    client = client_for(civil_servant)
    assert put(client, meeting, motion(seats, ["yes"] * 4, ["yes", "yes", "no"])).status_code == 302
    decision = Decision.objects.get()
    assert decision.outcome == DecisionOutcome.PASSED
    assert decision.votes.count() == 7
    assert "Carried with a majority in each sector: 6 yes, 1 no" in decision.result().reason


def test_without_quorum_a_motion_fails(client_for, civil_servant, seats, meeting):
    put(client_for(civil_servant), meeting, motion(seats, ["yes"] * 3, ["yes", "yes"]))
    decision = Decision.objects.get()
    assert decision.outcome == DecisionOutcome.FAILED
    assert decision.result().reason == "No quorum: 5 seats present, 6 needed."


def test_a_majority_overall_is_not_enough_without_one_in_each_sector(
    client_for, civil_servant, seats, meeting
):
    put(client_for(civil_servant), meeting, motion(seats, ["yes"] * 5, ["yes", "no", "no"]))
    decision = Decision.objects.get()
    assert decision.outcome == DecisionOutcome.FAILED
    assert "no majority in Civil society (1 yes, 2 no)" in decision.result().reason


def test_a_consensus_fails_on_one_objection_and_passes_with_abstentions(
    client_for, civil_servant, seats, meeting
):
    client = client_for(civil_servant)
    put(client, meeting, motion(seats, ["yes"] * 4, ["yes", "no"], method="consensus"))
    put(client, meeting, motion(seats, ["yes"] * 4, ["yes", "abstain"], method="consensus"))
    failed, passed = Decision.objects.order_by("pk")
    assert failed.outcome == DecisionOutcome.FAILED
    assert failed.result().reason == "No consensus: 1 objection."
    assert passed.outcome == DecisionOutcome.PASSED


def test_a_cso_co_chair_puts_motions_and_others_may_not(
    request, client, client_for, seats, meeting, cso_member, citizen, other_member_cso_member
):
    seats[Sector.CIVIL_SOCIETY][0].user = cso_member
    seats[Sector.CIVIL_SOCIETY][0].role = "co_chair"
    seats[Sector.CIVIL_SOCIETY][0].save()
    meeting.forum.chair_mode = "co_chairs"
    meeting.forum.save()
    ordinary = UserFactory(email="ordinary@example.org")
    seats[Sector.CIVIL_SOCIETY][1].user = ordinary
    seats[Sector.CIVIL_SOCIETY][1].save()
    data = motion(seats, ["yes"] * 4, ["yes"] * 3)
    for user in (ordinary, citizen, other_member_cso_member):
        assert put(client_for(user), meeting, data).status_code == 403
    client.logout()
    assert put(client, meeting, data).status_code == 302  # to sign in
    assert not Decision.objects.exists()
    assert put(client_for(cso_member), meeting, data).status_code == 302
    assert Decision.objects.get().recorded_by == cso_member


def test_a_vote_from_a_seat_not_sitting_is_refused(
    client_for, civil_servant, seats, meeting, other_forum
):
    stranger = ForumSeatFactory(forum=other_forum)
    data = motion(seats, ["yes"] * 4, ["yes"] * 3)
    response = put(client_for(civil_servant), meeting, {**data, f"seat_{stranger.pk}": "yes"})
    # The form has no field for a seat of another forum: the vote is ignored, not counted.
    assert response.status_code == 302
    assert Decision.objects.get().votes.count() == 7


def test_motions_wait_for_the_meeting_and_stop_with_the_minutes(
    client_for, civil_servant, seats, parity_forum
):
    client = client_for(civil_servant)
    future = ForumMeetingFactory(
        forum=parity_forum, starts_at=timezone.now() + timezone.timedelta(days=2)
    )
    data = motion(seats, ["yes"] * 4, ["yes"] * 3)
    assert put(client, future, data).status_code == 400
    published = ForumMeetingFactory(
        forum=parity_forum, status=MeetingStatus.MINUTES_PUBLISHED, minutes_text="M.",
        minutes_published_at=timezone.now(),
    )  # fmt: skip
    response = put(client, published, data)
    assert response.status_code == 400
    assert not Decision.objects.exists()


def test_the_decisions_page_shows_results_and_votes_once_on_record(
    client, client_for, civil_servant, seats, meeting
):
    put(client_for(civil_servant), meeting, motion(seats, ["yes"] * 4, ["yes", "yes", "no"]))
    url = reverse("forums:decision-list", args=[meeting.forum.member.slug])
    # Before the minutes are published, only those who keep the record see it.
    page = client.get(url).content.decode()
    assert "Minutes not published yet" in page
    client.logout()
    assert "Adopt the calendar" not in client.get(url).content.decode()
    meeting.status = MeetingStatus.MINUTES_PUBLISHED
    meeting.minutes_text = "Minutes."
    meeting.minutes_published_at = timezone.now()
    meeting.save()
    page = client.get(url).content.decode()
    assert "Adopt the calendar" in page
    assert "Carried with a majority in each sector" in page
    assert "civil_society 2" in page  # a seat holder's name in the per-seat table
    assert "No" in page


def test_the_decisions_page_is_paginated_and_bounded(
    client, seats, parity_forum, django_assert_max_num_queries
):
    all_seats = seats[Sector.GOVERNMENT] + seats[Sector.CIVIL_SOCIETY]
    for m in range(6):
        meeting = ForumMeetingFactory(
            forum=parity_forum, status=MeetingStatus.MINUTES_PUBLISHED, minutes_text="M.",
            minutes_published_at=timezone.now(),
        )  # fmt: skip
        for d in range(10):
            decision = Decision.objects.create(
                meeting=meeting, text=f"Motion {m}.{d}", method="vote", quorum_needed=6,
                plan=PlanFactory(member=parity_forum.member, status=PlanStatus.PLANNING)
                if d == 0 else None,
                purpose="adopt_plan" if d == 0 else "",
            )  # fmt: skip
            for seat in all_seats:
                decision.votes.create(seat=seat, name=seat.name, sector=seat.sector, choice="yes")
    url = reverse("forums:decision-list", args=[parity_forum.member.slug])
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<details>") == 20
    # A plan still in planning is not named to the public.
    assert "an action plan in preparation" in page
    assert "National Action Plan" not in page
    with django_assert_max_num_queries(10):
        assert client.get(url + "?page=3").status_code == 200
