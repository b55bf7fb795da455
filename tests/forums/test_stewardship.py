"""Shared stewardship (issue #16): the forum's co-chairs and technical secretariat, from
either sector, keep its record; where the rules ask for it, both co-chairs co-sign the
minutes before they count. Seen from the outside, through the pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.choices import MeetingStatus, SeatRole, Sector
from forums.models import ForumMeeting
from ogp_portal.core.models import AuditEvent
from records import compliance
from tests.factories import UserFactory

from .factories import ForumMeetingFactory, ForumSeatFactory, co_chaired

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov_chair(member):
    return UserFactory(email="gov.chair@example.org", name="Gina Government")


@pytest.fixture
def steered(forum, gov_chair, cso_member):
    """Member A's forum with a government and a civil-society co-chair (cso_member)."""
    co_chaired(forum, gov_chair, cso_member)
    return forum


@pytest.fixture
def seat_holder(forum, member):
    """An ordinary civil-society seat holder."""
    user = UserFactory(email="seat.holder@example.org")
    ForumSeatFactory(forum=forum, user=user, sector=Sector.CIVIL_SOCIETY, name="Sam Seat")
    return user


def meeting_post(slug):
    starts = (timezone.localtime() + dt.timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")
    return {
        "title": "Forum meeting on the draft plan",
        "kind": "msf_regular",
        "starts_at": starts,
        "location": "Civic Centre",
        "agenda": "1. The draft plan",
    }


def test_a_cso_co_chair_schedules_a_meeting_and_sets_its_agenda(client_for, steered, cso_member):
    client = client_for(cso_member)
    url = reverse("forums:meeting-create", args=[steered.member.slug])
    response = client.post(url, meeting_post(steered.member.slug))
    assert response.status_code == 302
    meeting = ForumMeeting.objects.get()
    assert meeting.scheduled_by == cso_member

    response = client.post(
        reverse("forums:meeting-agenda", args=[meeting.pk]),
        {"agenda": "1. The draft plan\n2. Civil society's proposals"},
    )
    assert response.status_code == 302
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Civil society&#x27;s proposals" in page
    assert AuditEvent.objects.filter(action="forums.meeting.agenda_set", actor=cso_member).exists()


@pytest.mark.parametrize("who", ["seat_holder", "citizen", "other_member_cso_member", "msf_member"])
def test_others_may_not_schedule_or_set_agendas(request, client_for, steered, who):
    client = client_for(request.getfixturevalue(who))
    meeting = ForumMeetingFactory(forum=steered, starts_at=timezone.now() + dt.timedelta(days=3))
    create = reverse("forums:meeting-create", args=[steered.member.slug])
    assert client.get(create).status_code == 403
    assert client.post(create, meeting_post(steered.member.slug)).status_code == 403
    agenda = reverse("forums:meeting-agenda", args=[meeting.pk])
    assert client.post(agenda, {"agenda": "Hijacked"}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.agenda != "Hijacked"
    assert ForumMeeting.objects.count() == 1


def test_anonymous_people_are_sent_to_sign_in(client, steered):
    meeting = ForumMeetingFactory(forum=steered, starts_at=timezone.now() + dt.timedelta(days=3))
    for url in (
        reverse("forums:meeting-create", args=[steered.member.slug]),
        reverse("forums:meeting-agenda", args=[meeting.pk]),
        reverse("forums:meeting-cosign", args=[meeting.pk]),
        reverse("forums:forum-governance", args=[steered.member.slug]),
        reverse("forums:secretariat-member-create", args=[steered.member.slug]),
    ):
        response = client.post(url, {})
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_the_agenda_is_fixed_once_the_meeting_is_held(client_for, steered, cso_member):
    meeting = ForumMeetingFactory(forum=steered, status=MeetingStatus.HELD)
    response = client_for(cso_member).post(
        reverse("forums:meeting-agenda", args=[meeting.pk]), {"agenda": "Rewritten"}
    )
    assert response.status_code == 403 or "its agenda is on record" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.agenda != "Rewritten"


def test_the_single_chair_in_office_steers_and_other_members_do_not(client_for, forum, citizen):
    chair = UserFactory(email="chair@example.org")
    ForumSeatFactory(forum=forum, user=chair, role=SeatRole.CHAIR, sector=Sector.CIVIL_SOCIETY)
    member_user = UserFactory(email="member@example.org")
    ForumSeatFactory(forum=forum, user=member_user, sector=Sector.CIVIL_SOCIETY)
    url = reverse("forums:meeting-create", args=[forum.member.slug])
    assert client_for(chair).get(url).status_code == 200
    assert client_for(member_user).get(url).status_code == 403


def test_a_named_technical_secretariat_member_keeps_the_record(
    client_for, forum, civil_servant, citizen, cso
):
    add = reverse("forums:secretariat-member-create", args=[forum.member.slug])
    create = reverse("forums:meeting-create", args=[forum.member.slug])
    assert client_for(citizen).get(create).status_code == 403
    response = client_for(civil_servant).post(
        add, {"email": citizen.email, "name": "Tina Tech", "sector": Sector.CIVIL_SOCIETY,
              "organisation": cso.pk},
    )  # fmt: skip
    assert response.status_code == 302
    page = client_for(civil_servant).get(forum.get_absolute_url()).content.decode()
    assert "Tina Tech (Civil society, Watchdog A)" in page
    assert client_for(citizen).get(create).status_code == 200
    # Twice is refused with a reason.
    response = client_for(civil_servant).post(
        add, {"email": citizen.email, "sector": Sector.CIVIL_SOCIETY}
    )
    assert response.status_code == 400
    assert "already on the technical secretariat" in response.content.decode()


@pytest.mark.parametrize("who", ["cso_member", "citizen", "other_member_civil_servant"])
def test_only_who_runs_the_forum_names_the_secretariat_and_sets_the_rules(
    request, client_for, steered, who
):
    client = client_for(request.getfixturevalue(who))
    for name in ("forums:secretariat-member-create", "forums:forum-governance"):
        assert client.get(reverse(name, args=[steered.member.slug])).status_code == 403


def test_governance_is_set_on_its_page_and_shown_on_the_forum(client_for, forum, civil_servant):
    client = client_for(civil_servant)
    url = reverse("forums:forum-governance", args=[forum.member.slug])
    data = {"chair_mode": "single_chair", "minutes_require_cosign": "on", "quorum_percent": 60}
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Only co-chairs can co-sign the minutes" in response.content.decode()
    data |= {"chair_mode": "co_chairs", "majority_in_each_sector": "on",
             "adoption_requires_decision": "on"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    page = client.get(forum.get_absolute_url()).content.decode()
    assert "Quorum: 6 seats present." in page
    assert "A vote passes only with a majority in each sector." in page
    assert "Adopting a plan needs the forum's decision." in page
    assert AuditEvent.objects.filter(action="forums.forum.governance_set").exists()


def held_meeting(forum):
    meeting = ForumMeetingFactory(forum=forum, status=MeetingStatus.HELD)
    meeting.attendance.create(sector=Sector.GOVERNMENT, count=4)
    return meeting


def test_minutes_count_only_once_both_co_chairs_have_co_signed(
    client, client_for, steered, gov_chair, cso_member, seat_holder
):
    steered.minutes_require_cosign = True
    steered.save()
    meeting = held_meeting(steered)
    url = meeting.get_absolute_url()
    # The CSO co-chair drafts the minutes: they wait for signatures, not public yet.
    response = client_for(cso_member).post(
        reverse("forums:meeting-minutes", args=[meeting.pk]),
        {"minutes_text": "We agreed the calendar."},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AWAITING_SIGNATURES
    client.logout()
    assert "We agreed the calendar." not in client.get(url).content.decode()
    assert not compliance_met(steered.member)

    cosign = reverse("forums:meeting-cosign", args=[meeting.pk])
    # An ordinary seat holder cannot sign.
    assert client_for(seat_holder).post(cosign).status_code == 403
    # The government co-chair signs: still waiting for the other co-chair.
    assert client_for(gov_chair).post(cosign).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.AWAITING_SIGNATURES
    page = client_for(gov_chair).get(url).content.decode()
    assert "Signed by Gina Government (Government)" in page
    assert "Awaiting the signature of Carla Civil (Civil society)" in page
    # The civil-society co-chair signs: the minutes are published and count.
    assert client_for(cso_member).post(cosign).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_PUBLISHED
    client.logout()
    page = client.get(url).content.decode()
    assert "We agreed the calendar." in page
    assert "Signed by Carla Civil (Civil society)" in page
    assert compliance_met(steered.member)
    assert AuditEvent.objects.filter(action="forums.meeting.minutes_cosigned").count() == 2


def test_signing_twice_or_when_nothing_awaits_is_refused(client_for, steered, gov_chair):
    steered.minutes_require_cosign = True
    steered.save()
    meeting = held_meeting(steered)
    cosign = reverse("forums:meeting-cosign", args=[meeting.pk])
    client = client_for(gov_chair)
    response = client.post(cosign, follow=True)
    assert "These minutes do not await signatures." in response.content.decode()
    meeting.status = MeetingStatus.AWAITING_SIGNATURES
    meeting.minutes_text = "Draft"
    meeting.save()
    client.post(cosign)
    response = client.post(cosign, follow=True)
    assert "You have already signed these minutes." in response.content.decode()
    assert meeting.signatures.count() == 1


def compliance_met(member):
    _version, results = compliance.run_checks(member)
    return next(r for r in results if r.code == "MR 1.1").met


def test_mr_1_1_is_not_met_without_published_rules_of_participation(forum, client):
    ForumMeetingFactory(
        forum=forum, status=MeetingStatus.MINUTES_PUBLISHED, minutes_text="Minutes.",
        minutes_published_at=timezone.now(),
    )  # fmt: skip
    assert compliance_met(forum.member)
    forum.rules_of_participation = "  "
    forum.save()
    _version, results = compliance.run_checks(forum.member)
    check = next(r for r in results if r.code == "MR 1.1")
    assert not check.met
    assert check.detail == "The forum's rules of participation are not published."


def test_the_forum_page_warns_when_a_sector_has_vacant_seats(client, forum):
    for _ in range(3):
        ForumSeatFactory(forum=forum, sector=Sector.CIVIL_SOCIETY)
    for _ in range(5):
        ForumSeatFactory(forum=forum, sector=Sector.GOVERNMENT)
    page = client.get(forum.get_absolute_url()).content.decode()
    assert "Civil society: 3 of 5 seats filled, 2 vacant." in page
    assert "Government: 5 of 5" not in page


def test_a_person_holds_one_seat_per_forum(client_for, forum, civil_servant, citizen):
    ForumSeatFactory(forum=forum, user=citizen, sector=Sector.CIVIL_SOCIETY, name="Cid")
    today = timezone.localdate()
    response = client_for(civil_servant).post(
        reverse("forums:seat-create", args=[forum.member.slug]),
        {"name": "Cid again", "email": citizen.email, "sector": Sector.GOVERNMENT,
         "role": SeatRole.MEMBER, "term_starts_on": today.isoformat(),
         "term_ends_on": (today + dt.timedelta(days=300)).isoformat(),
         "selected_via": "appointment"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "at most one seat per forum" in response.content.decode()
    assert forum.seats.filter(user=citizen).count() == 1


def test_someone_is_taken_off_the_secretariat_with_a_reason(
    client_for, forum, civil_servant, citizen, cso_member
):
    from forums import services

    person = services.secretariat_member_add(
        forum, actor=civil_servant, user=citizen, sector=Sector.CIVIL_SOCIETY
    )
    url = reverse("forums:secretariat-member-remove", args=[forum.member.slug, person.pk])
    field = f"remove-{person.pk}-reason"
    assert client_for(cso_member).post(url, {field: "Because"}).status_code == 403
    response = client_for(civil_servant).post(url, {field: ""})
    assert response.status_code == 400
    assert forum.secretariat_members.exists()
    response = client_for(civil_servant).post(url, {field: "Moved to another ministry."})
    assert response.status_code == 302
    assert not forum.secretariat_members.exists()
    event = AuditEvent.objects.get(action="forums.secretariat_member.removed")
    assert event.reason == "Moved to another ministry."
    # Off the secretariat, no longer a steward.
    create = reverse("forums:meeting-create", args=[forum.member.slug])
    assert client_for(citizen).get(create).status_code == 403
