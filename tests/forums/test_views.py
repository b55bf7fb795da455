"""The forum's pages from outside: who may do what, what each visitor sees, forms that keep
what was typed, closed windows that answer with a message, and bounded queries."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from forums.choices import MeetingKind, MeetingStatus, SeatRole, Sector
from forums.models import Ballot, Forum, ForumMeeting, Nomination
from tests.factories import UserFactory, join

from .factories import (
    ForumMeetingFactory,
    ForumSeatFactory,
    SelectionRoundFactory,
    ThreadFactory,
    at_phase,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- the forum page -----------------------------------------------------------------------------


def test_anyone_sees_the_forum_its_rules_and_current_members(client, forum, cso):
    ForumSeatFactory(forum=forum, name="Ana Minister", role=SeatRole.CHAIR, organisation=None)
    ForumSeatFactory(
        forum=forum, name="Ben Activist", sector=Sector.CIVIL_SOCIETY, organisation=cso
    )
    ForumSeatFactory(
        forum=forum,
        name="Former Member",
        term_starts_on=dt.date(2020, 1, 1),
        term_ends_on=dt.date(2021, 1, 1),
    )
    page = client.get(reverse("forums:forum-detail", args=[forum.member.slug])).content.decode()
    assert forum.rules_of_participation in page
    assert "Ana Minister" in page
    assert "Ben Activist" in page
    assert "Watchdog A" in page
    assert "Former Member" not in page
    assert "Chair today: Ana Minister" in page


def test_secretariat_sets_up_a_forum_through_the_form(client_for, secretariat, member):
    client = client_for(secretariat)
    data = {
        "member": member.pk,
        "name": "Forum A",
        "mandate": "Co-create.",
        "rules_of_participation": "Open.",
        "chair_rotation_months": 12,
    } | {f"seats_{value}": 0 for value in Sector.values}
    data |= {"seats_government": 5, "seats_civil_society": 5}
    response = client.post(reverse("forums:forum-create"), data)
    assert response.status_code == 302
    assert Forum.objects.get(member=member).seat_allocations.get(sector="government").seats == 5


def test_forum_form_keeps_what_was_typed(client_for, secretariat, member):
    client = client_for(secretariat)
    response = client.post(
        reverse("forums:forum-create"),
        {"member": member.pk, "name": "Typed name", "chair_rotation": ["government"]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Typed name"' in page
    assert "at least two sectors" in page
    assert not Forum.objects.exists()


def test_adding_a_member_to_a_full_sector_says_why(client_for, secretariat, forum):
    for _ in range(5):
        ForumSeatFactory(forum=forum, sector=Sector.GOVERNMENT)
    today = timezone.localdate()
    response = client_for(secretariat).post(
        reverse("forums:seat-create", args=[forum.member.slug]),
        {
            "name": "One Too Many",
            "sector": Sector.GOVERNMENT,
            "role": SeatRole.MEMBER,
            "term_starts_on": today.isoformat(),
            "term_ends_on": (today + dt.timedelta(days=300)).isoformat(),
            "selected_via": "appointment",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "All Government seats are taken" in page
    assert 'value="One Too Many"' in page


def test_term_dates_are_checked_in_the_form(client_for, secretariat, forum):
    today = timezone.localdate()
    response = client_for(secretariat).post(
        reverse("forums:seat-create", args=[forum.member.slug]),
        {
            "name": "Backwards",
            "sector": Sector.GOVERNMENT,
            "role": SeatRole.MEMBER,
            "term_starts_on": today.isoformat(),
            "term_ends_on": (today - dt.timedelta(days=1)).isoformat(),
            "selected_via": "appointment",
        },
    )
    assert response.status_code == 400
    assert "A term must end after it starts." in response.content.decode()


# --- permissions from outside -------------------------------------------------------------------

OUTSIDERS = ["msf_member", "other_member_civil_servant", "cso_member", "citizen"]


def forum_write_requests(forum, meeting):
    slug = forum.member.slug
    return [
        ("get", reverse("forums:forum-update", args=[slug])),
        ("post", reverse("forums:forum-update", args=[slug])),
        ("post", reverse("forums:seat-create", args=[slug])),
        ("get", reverse("forums:meeting-create", args=[slug])),
        ("post", reverse("forums:meeting-create", args=[slug])),
        ("post", reverse("forums:meeting-attendance", args=[meeting.pk])),
        ("post", reverse("forums:meeting-decision-add", args=[meeting.pk])),
        ("post", reverse("forums:meeting-minutes", args=[meeting.pk])),
        ("post", reverse("forums:round-create", args=[slug])),
    ]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_cannot_edit_the_forum_schedule_or_publish(request, client_for, role, forum):
    meeting = ForumMeetingFactory(forum=forum)
    client = client_for(request.getfixturevalue(role))
    for method, url in forum_write_requests(forum, meeting):
        response = getattr(client, method)(url, {"minutes_text": "Hacked", "text": "Hacked"})
        assert response.status_code in (403, 404), (role, url, response.status_code)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    assert not meeting.decisions.exists()


def test_civil_servant_of_another_member_cannot_touch_this_forum(
    client_for, other_member_civil_servant, forum, other_forum
):
    client = client_for(other_member_civil_servant)
    # Their own forum: allowed.
    assert (
        client.get(reverse("forums:meeting-create", args=[other_forum.member.slug])).status_code
        == 200
    )
    assert client.get(reverse("forums:meeting-create", args=[forum.member.slug])).status_code == 403


def test_anonymous_people_are_sent_to_sign_in(client, forum):
    response = client.get(reverse("forums:forum-update", args=[forum.member.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- meetings through the pages -----------------------------------------------------------------


def test_civil_servant_keeps_the_record_and_citizens_read_the_minutes(
    client_for, civil_servant, citizen, forum
):
    client = client_for(civil_servant)
    response = client.post(
        reverse("forums:meeting-create", args=[forum.member.slug]),
        {
            "title": "Spring review",
            "kind": MeetingKind.IMPLEMENTATION_REVIEW,
            "starts_at": "2026-03-10T10:00",
            "location": "Town hall",
            "agenda": "Progress",
        },
    )
    assert response.status_code == 302
    meeting = ForumMeeting.objects.get()
    # Typed in the member's time zone (Europe/Paris, UTC+1 in March).
    assert meeting.starts_at == dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    counts = dict.fromkeys(Sector.values, 0) | {"government": 4, "civil_society": 6}
    client.post(reverse("forums:meeting-attendance", args=[meeting.pk]), counts)
    for text in ("Adopt the report.", "Meet in June."):
        client.post(reverse("forums:meeting-decision-add", args=[meeting.pk]), {"text": text})
    response = client.post(
        reverse("forums:meeting-minutes", args=[meeting.pk]), {"minutes_text": "We met."}
    )
    assert response.status_code == 302
    page = client_for(citizen).get(meeting.get_absolute_url()).content.decode()
    assert "We met." in page
    assert "Adopt the report." in page
    assert "10:00" in page  # shown in the member's time zone
    assert "Civil society" in page


def test_decisions_stay_private_until_the_minutes_are_published(client, forum):
    meeting = ForumMeetingFactory(forum=forum)
    meeting.decisions.create(text="Draft decision")
    assert "Draft decision" not in client.get(meeting.get_absolute_url()).content.decode()


def test_a_minutes_file_must_really_be_a_document(client_for, civil_servant, forum):
    meeting = ForumMeetingFactory(forum=forum, status=MeetingStatus.HELD)
    client = client_for(civil_servant)
    url = reverse("forums:meeting-minutes", args=[meeting.pk])
    fake = SimpleUploadedFile("minutes.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(url, {"minutes_text": "Typed text", "minutes_file": fake})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Upload a PDF, ODT or DOCX document" in page
    assert "Typed text" in page
    big = SimpleUploadedFile(
        "minutes.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), "application/pdf"
    )
    response = client.post(url, {"minutes_file": big})
    assert response.status_code == 400
    assert "the limit is 10.0" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    good = SimpleUploadedFile("minutes.pdf", PDF_BYTES, "application/pdf")
    assert client.post(url, {"minutes_file": good}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_PUBLISHED
    assert meeting.minutes_file.name.endswith(".pdf")


# --- selection rounds through the pages ---------------------------------------------------------


@pytest.fixture
def voting(forum, cso_reps):
    selection_round = SelectionRoundFactory(forum=forum, seats=2)
    for user, org in cso_reps:
        Nomination.objects.create(
            round=selection_round, candidate=user, candidate_name=user.name, organisation=org
        )
    return at_phase(selection_round, "voting")


def test_double_submitted_ballot_counts_once(client_for, voting, cso_reps):
    user, org = cso_reps[0]
    client = client_for(user)
    nomination = voting.nominations.first()
    data = {"organisation": org.pk, "candidates": [nomination.pk]}
    url = reverse("forums:round-vote", args=[voting.pk])
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert first.status_code == 302
    assert "already voted" in " ".join(messages_of(second))
    # A colleague of the same CSO cannot add a second ballot either.
    colleague = UserFactory()
    join(colleague, org)
    client_for(colleague).post(url, data)
    assert Ballot.objects.filter(round=voting).count() == 1


def test_the_ballot_form_gives_way_to_has_voted_once_the_organisation_voted(
    client_for, voting, cso_reps
):
    user, org = cso_reps[0]
    client = client_for(user)
    page_url = reverse("forums:round-detail", args=[voting.pk])
    assert "Cast the ballot" in client.get(page_url).content.decode()
    nomination = voting.nominations.first()
    client.post(
        reverse("forums:round-vote", args=[voting.pk]),
        {"organisation": org.pk, "candidates": [nomination.pk]},
    )
    page = client.get(page_url).content.decode()
    assert "Cast the ballot" not in page
    assert f"{org.name} has voted; its ballot is final." in page
    # A colleague of the same organisation sees the same, not a form that would be refused.
    colleague = UserFactory()
    join(colleague, org)
    page = client_for(colleague).get(page_url).content.decode()
    assert "Cast the ballot" not in page
    assert f"{org.name} has voted" in page


def test_voting_after_closing_answers_with_a_message(client_for, voting, cso_reps):
    at_phase(voting, "closed")
    user, org = cso_reps[0]
    response = client_for(user).post(
        reverse("forums:round-vote", args=[voting.pk]),
        {"organisation": org.pk, "candidates": [voting.nominations.first().pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Voting has closed" in " ".join(messages_of(response))
    assert not Ballot.objects.exists()


def test_nobody_sees_totals_before_voting_closes(client_for, secretariat, voting, cso_reps):
    for user, org in cso_reps:
        Ballot.objects.create(round=voting, organisation=org, cast_by=user).choices.create(
            nomination=voting.nominations.first()
        )
    client = client_for(secretariat)
    round_page = client.get(voting.get_absolute_url()).content.decode()
    assert "Ballots cast" not in round_page
    assert "Votes per candidate" not in round_page
    results = client.get(reverse("forums:round-results", args=[voting.pk]), follow=True)
    assert "Votes per candidate" not in results.content.decode()
    assert "once voting has closed" in " ".join(messages_of(results))
    # Publishing early is refused with the same message, never a 500.
    response = client.post(reverse("forums:round-results", args=[voting.pk]), follow=True)
    assert response.status_code == 200
    assert voting.elected_seats.count() == 0


def test_results_are_public_once_published(client_for, client, secretariat, voting, cso_reps):
    first, second, _third = list(voting.nominations.order_by("candidate_name"))
    for user, org in cso_reps:
        ballot = Ballot.objects.create(round=voting, organisation=org, cast_by=user)
        ballot.choices.create(nomination=first)
    Ballot.objects.filter(organisation=cso_reps[0][1]).get().choices.create(nomination=second)
    at_phase(voting, "closed")
    url = reverse("forums:round-results", args=[voting.pk])
    # Closed but unpublished: the public is told to wait, the secretariat sees the counts.
    assert "Votes per candidate" not in client.get(url, follow=True).content.decode()
    staff = client_for(secretariat)
    assert "Votes per candidate" in staff.get(url).content.decode()
    # Electing more than the seats is refused with a message.
    response = staff.post(url, {"elected": [n.pk for n in voting.nominations.all()]})
    assert response.status_code == 400
    assert "fills 2 seats" in response.content.decode()
    assert staff.post(url, {"elected": [first.pk, second.pk]}).status_code == 302
    staff.logout()
    page = client.get(url).content.decode()
    assert "Votes per candidate" in page
    assert "Elected" in page


# --- the discussion space -----------------------------------------------------------------------


def test_private_threads_are_hidden_from_non_participants(request, client_for, client, forum):
    private = ThreadFactory(forum=forum, title="Internal planning")
    public = ThreadFactory(forum=forum, title="Open call", is_public=True)
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client.get(public.get_absolute_url()).status_code == 200
    listing = client.get(reverse("forums:thread-list", args=[forum.member.slug]))
    assert "Open call" in listing.content.decode()
    assert "Internal planning" not in listing.content.decode()
    for role in ("citizen", "other_member_civil_servant", "cso_member"):
        response = client_for(request.getfixturevalue(role)).get(private.get_absolute_url())
        assert response.status_code == 404, role


def test_participants_read_and_post_in_private_threads(client_for, msf_member, citizen, forum):
    private = ThreadFactory(forum=forum, title="Internal planning")
    seat_holder = UserFactory()
    ForumSeatFactory(forum=forum, user=seat_holder)
    for person in (msf_member, seat_holder):
        client = client_for(person)
        assert client.get(private.get_absolute_url()).status_code == 200
        response = client.post(
            reverse("forums:thread-reply", args=[private.pk]), {"body": f"Hi from {person.pk}"}
        )
        assert response.status_code == 302
    assert private.posts.count() == 2
    # A former seat holder is out.
    ended = UserFactory()
    ForumSeatFactory(
        forum=forum,
        user=ended,
        term_starts_on=dt.date(2020, 1, 1),
        term_ends_on=dt.date(2021, 1, 1),
    )
    assert client_for(ended).get(private.get_absolute_url()).status_code == 404


def test_only_participants_post_in_public_threads(client_for, citizen, forum):
    public = ThreadFactory(forum=forum, is_public=True)
    response = client_for(citizen).post(
        reverse("forums:thread-reply", args=[public.pk]), {"body": "Me too"}
    )
    assert response.status_code == 403
    assert not public.posts.exists()


# --- bounded queries ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [None, "msf_member", "civil_servant", "secretariat"])
def test_forum_page_queries_are_bounded(
    request, client, client_for, busy_forum, django_assert_max_num_queries, role
):
    if role:
        client = client_for(request.getfixturevalue(role))
    url = reverse("forums:forum-detail", args=[busy_forum.member.slug])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200


def test_meeting_and_thread_lists_are_bounded(client, busy_forum, django_assert_max_num_queries):
    for name in ("forums:meeting-list", "forums:thread-list", "records:compliance"):
        # The compliance panel also lists the member's plans (a link to each self-assessment).
        with django_assert_max_num_queries(11 if name == "records:compliance" else 10):
            assert client.get(reverse(name, args=[busy_forum.member.slug])).status_code == 200


# --- the remaining screens, end to end through the client ---------------------------------------


def test_civil_servant_edits_the_forum_and_runs_a_working_group(client_for, civil_servant, forum):
    from plans.models import ActionPlan, PolicyArea

    plan = ActionPlan.objects.create(
        member=forum.member,
        sequence_no=1,
        title="Plan",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2025, 12, 31),
        status="implementation",
    )
    area = PolicyArea.objects.create(plan=plan, name="Open Justice")
    client = client_for(civil_servant)
    slug = forum.member.slug
    assert client.get(reverse("forums:forum-update", args=[slug])).status_code == 200
    data = {
        "name": "Renamed forum",
        "mandate": forum.mandate,
        "rules_of_participation": forum.rules_of_participation,
        "chair_rotation": ["government", "civil_society"],
        "chair_rotation_months": 6,
        "chair_rotation_starts_on": "2026-01-01",
    } | {f"seats_{value}": 2 for value in Sector.values}
    assert client.post(reverse("forums:forum-update", args=[slug]), data).status_code == 302
    forum.refresh_from_db()
    assert forum.name == "Renamed forum"
    assert forum.chair_rotation == ["government", "civil_society"]

    response = client.post(
        reverse("forums:group-create", args=[slug]),
        {"name": "Justice team", "description": "Follows justice", "policy_area": area.pk},
    )
    assert response.status_code == 302
    group = forum.working_groups.get()
    assert group.policy_area == area
    response = client.post(
        reverse("forums:group-member-add", args=[group.pk]),
        {"name": "Ada", "sector": Sector.ACADEMIA},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("forums:meeting-create", args=[slug]) + f"?group={group.pk}",
        {
            "title": "Team call",
            "kind": MeetingKind.REGULAR,
            "starts_at": "2026-05-05T15:00",
            "online_url": "https://meet.example.org/team",
            "agenda": "Milestones",
        },
    )
    assert response.status_code == 302
    assert group.meetings.get().title == "Team call"
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Ada" in page
    assert "Team call" in page


def test_participants_start_threads_and_the_government_makes_them_public(
    client_for, msf_member, civil_servant, forum
):
    anonymous = Client()
    # The government's representative on the forum holds a seat.
    ForumSeatFactory(forum=forum, user=civil_servant)
    response = client_for(msf_member).post(
        reverse("forums:thread-create", args=[forum.member.slug]),
        {"title": "Ideas", "body": "Let us discuss."},
    )
    assert response.status_code == 302
    thread = forum.threads.get()
    assert not thread.is_public
    assert anonymous.get(thread.get_absolute_url()).status_code == 404
    client_for(civil_servant).post(
        reverse("forums:thread-visibility", args=[thread.pk]), {"is_public": "true"}
    )
    assert "Let us discuss." in anonymous.get(thread.get_absolute_url()).content.decode()


def test_empty_forms_re_render_with_errors(client_for, civil_servant, msf_member, forum):
    meeting = ForumMeetingFactory(forum=forum)
    client = client_for(civil_servant)
    response = client.post(reverse("forums:meeting-decision-add", args=[meeting.pk]), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = client.post(
        reverse("forums:meeting-create", args=[forum.member.slug]),
        {"title": "No place", "kind": MeetingKind.REGULAR, "starts_at": "2026-05-05T15:00"},
    )
    assert response.status_code == 400
    assert "Give a place or an online link." in response.content.decode()
    assert 'value="No place"' in response.content.decode()
    response = client_for(msf_member).post(
        reverse("forums:thread-create", args=[forum.member.slug]), {"title": "Only a title"}
    )
    assert response.status_code == 400
    assert 'value="Only a title"' in response.content.decode()


def test_attendance_before_the_meeting_starts_is_refused_with_the_reason_and_the_counts(
    client_for, civil_servant, forum
):
    meeting = ForumMeetingFactory(forum=forum, starts_at=timezone.now() + dt.timedelta(days=2))
    counts = dict.fromkeys(Sector.values, 7)
    response = client_for(civil_servant).post(
        reverse("forums:meeting-attendance", args=[meeting.pk]), counts
    )
    # The meeting page comes back with the refusal and the typed counts, not a redirect.
    assert response.status_code == 400
    page = response.content.decode()
    assert "Attendance is recorded once the meeting has started." in page
    assert 'value="7"' in page
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_nominating_outside_the_window_answers_with_a_message(client_for, forum, cso_reps):
    selection_round = at_phase(SelectionRoundFactory(forum=forum), "voting")
    user, org = cso_reps[0]
    response = client_for(user).post(
        reverse("forums:round-nominate", args=[selection_round.pk]),
        {"organisation": org.pk, "candidate": user.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "Nominations are not open" in " ".join(messages_of(response))
    assert not selection_round.nominations.exists()
