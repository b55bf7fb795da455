"""The forum's services: every rule of the process, at its edges, with its audit record."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from forums import services
from forums.choices import (
    MeetingKind,
    MeetingStatus,
    RoundStatus,
    SeatRole,
    Sector,
    SelectionMethod,
)
from forums.models import Ballot, ForumSeat, Nomination
from ogp_portal.core.errors import DomainError
from ogp_portal.core.models import AuditEvent
from records.choices import DocumentType
from records.models import RepositoryDocument
from tests.factories import UserFactory, join

from .factories import ForumMeetingFactory, ForumSeatFactory, SelectionRoundFactory, at_phase

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def events(action):
    return AuditEvent.objects.filter(action=action)


# --- setting up the forum -----------------------------------------------------------------------


def test_secretariat_sets_up_a_forum_with_seats_and_public_rules(member, secretariat):
    forum = services.forum_setup(
        member,
        actor=secretariat,
        name="Valdoria OGP Forum",
        mandate="Co-create the plan.",
        rules_of_participation="Consensus first.",
        seats={Sector.GOVERNMENT: 5, Sector.CIVIL_SOCIETY: 5},
    )
    assert dict(forum.seat_allocations.values_list("sector", "seats")) == {
        Sector.GOVERNMENT: 5,
        Sector.CIVIL_SOCIETY: 5,
        Sector.ACADEMIA: 0,
        Sector.PRIVATE_SECTOR: 0,
        Sector.PARLIAMENT: 0,
        Sector.OTHER: 0,
    }
    # The rules of participation are public: they are on record in the repository.
    rules_doc = RepositoryDocument.objects.get(member=member, doc_type=DocumentType.FORUM_RULES)
    assert rules_doc.url.endswith("#rules")
    assert events("forums.forum.set_up").get().actor == secretariat


def test_one_forum_per_member(forum, secretariat):
    with pytest.raises(DomainError, match="already has a forum"):
        services.forum_setup(
            forum.member,
            actor=secretariat,
            name="Second",
            mandate="x",
            rules_of_participation="x",
            seats={},
        )


def test_seats_cannot_drop_below_people_sitting(forum, secretariat):
    for _ in range(3):
        ForumSeatFactory(forum=forum, sector=Sector.GOVERNMENT)
    with pytest.raises(DomainError, match="cannot have fewer seats"):
        services.forum_update(
            forum,
            actor=secretariat,
            name=forum.name,
            mandate=forum.mandate,
            rules_of_participation=forum.rules_of_participation,
            seats={Sector.GOVERNMENT: 2, Sector.CIVIL_SOCIETY: 5},
        )


# --- seats and terms ----------------------------------------------------------------------------


def add_seat(forum, actor, *, sector=Sector.GOVERNMENT, role=SeatRole.MEMBER, start=None, end=None):
    return services.seat_add(
        forum,
        actor=actor,
        name="Someone",
        sector=sector,
        role=role,
        term_starts_on=start or TODAY,
        term_ends_on=end or TODAY + dt.timedelta(days=365),
    )


def test_adding_a_member_to_a_full_sector_is_refused(forum, secretariat):
    for _ in range(5):
        add_seat(forum, secretariat)
    with pytest.raises(DomainError, match="All Government seats are taken"):
        add_seat(forum, secretariat)
    assert forum.seats.filter(sector=Sector.GOVERNMENT).count() == 5
    # An alternate takes no seat of its own.
    add_seat(forum, secretariat, role=SeatRole.ALTERNATE)
    # A term that starts after the current ones end fits.
    add_seat(
        forum,
        secretariat,
        start=TODAY + dt.timedelta(days=366),
        end=TODAY + dt.timedelta(days=700),
    )


def test_a_sector_with_no_seats_takes_nobody(forum, secretariat):
    with pytest.raises(DomainError, match="Academia"):
        add_seat(forum, secretariat, sector=Sector.ACADEMIA)


def test_term_must_end_after_it_starts(forum, secretariat):
    with pytest.raises(DomainError, match="end after it starts"):
        add_seat(forum, secretariat, start=TODAY, end=TODAY)
    # The database says so too.
    with pytest.raises(IntegrityError), transaction.atomic():
        ForumSeatFactory(forum=forum, term_starts_on=TODAY, term_ends_on=TODAY)


def test_a_member_whose_term_ended_is_not_current(forum):
    ended = ForumSeatFactory(
        forum=forum,
        term_starts_on=TODAY - dt.timedelta(days=400),
        term_ends_on=TODAY - dt.timedelta(days=1),
    )
    last_day = ForumSeatFactory(
        forum=forum, term_starts_on=TODAY - dt.timedelta(days=400), term_ends_on=TODAY
    )
    future = ForumSeatFactory(
        forum=forum,
        term_starts_on=TODAY + dt.timedelta(days=1),
        term_ends_on=TODAY + dt.timedelta(days=400),
    )
    current = set(ForumSeat.objects.current(TODAY))
    assert ended not in current
    assert last_day in current
    assert future not in current
    assert not ended.is_current(TODAY)
    assert last_day.is_current(TODAY)


def test_ending_a_term_early_needs_a_reason(forum, secretariat):
    seat = ForumSeatFactory(forum=forum)
    with pytest.raises(DomainError):
        services.seat_end(seat, actor=secretariat, ends_on=TODAY, reason=" ")
    services.seat_end(seat, actor=secretariat, ends_on=TODAY, reason="Resigned")
    assert not seat.is_current(TODAY + dt.timedelta(days=1))
    assert events("forums.seat.ended").get().reason == "Resigned"


# --- chair rotation -----------------------------------------------------------------------------


def test_chair_alternates_between_government_and_civil_society(forum):
    forum.chair_rotation = [Sector.GOVERNMENT, Sector.CIVIL_SOCIETY]
    forum.chair_rotation_months = 6
    forum.chair_rotation_starts_on = dt.date(2025, 1, 1)
    forum.save()
    term = {"term_starts_on": dt.date(2024, 1, 1), "term_ends_on": dt.date(2027, 12, 31)}
    minister = ForumSeatFactory(
        forum=forum, name="Minister", sector=Sector.GOVERNMENT, role=SeatRole.CO_CHAIR, **term
    )
    activist = ForumSeatFactory(
        forum=forum, name="Activist", sector=Sector.CIVIL_SOCIETY, role=SeatRole.CO_CHAIR, **term
    )
    ForumSeatFactory(forum=forum, sector=Sector.CIVIL_SOCIETY, role=SeatRole.MEMBER, **term)

    assert forum.chair_sector_on(dt.date(2024, 12, 31)) is None
    assert forum.chair_sector_on(dt.date(2025, 1, 1)) == Sector.GOVERNMENT
    assert forum.chair_on(dt.date(2025, 6, 30)) == minister
    assert forum.chair_on(dt.date(2025, 7, 1)) == activist
    assert forum.chair_on(dt.date(2025, 12, 31)) == activist
    assert forum.chair_on(dt.date(2026, 1, 1)) == minister
    assert forum.chair_on(dt.date(2026, 7, 1)) == activist
    assert forum.next_chair_change_on(dt.date(2025, 3, 3)) == dt.date(2025, 7, 1)
    # Nobody chairs for civil society once its co-chair's term has ended.
    assert forum.chair_on(dt.date(2028, 7, 1)) is None


def test_without_rotation_the_seat_marked_chair_holds_it(forum):
    chair = ForumSeatFactory(forum=forum, role=SeatRole.CHAIR)
    ForumSeatFactory(forum=forum, role=SeatRole.CO_CHAIR, sector=Sector.CIVIL_SOCIETY)
    assert forum.chair_on(TODAY) == chair


def test_a_rotation_of_one_sector_is_refused(member, secretariat):
    with pytest.raises(DomainError, match="at least two sectors"):
        services.forum_setup(
            member,
            actor=secretariat,
            name="F",
            mandate="m",
            rules_of_participation="r",
            seats={},
            chair_rotation=[Sector.GOVERNMENT],
            chair_rotation_starts_on=TODAY,
        )


# --- selection rounds ---------------------------------------------------------------------------


def open_round(forum, actor, seats=2, **overrides):
    now = timezone.now()
    fields = {
        "title": "Civil society 2026",
        "seats": seats,
        "nominations_open_at": now - dt.timedelta(hours=1),
        "nominations_close_at": now + dt.timedelta(days=1),
        "voting_open_at": now + dt.timedelta(days=2),
        "voting_close_at": now + dt.timedelta(days=3),
        "term_starts_on": TODAY + dt.timedelta(days=10),
        "term_ends_on": TODAY + dt.timedelta(days=740),
    } | overrides
    return services.round_open(forum, actor=actor, **fields)


def test_round_cannot_fill_more_seats_than_civil_society_has(forum, secretariat):
    with pytest.raises(DomainError, match="Civil society has 5 seats"):
        open_round(forum, secretariat, seats=6)


def test_round_windows_must_follow_each_other(forum, secretariat):
    now = timezone.now()
    with pytest.raises(DomainError, match="Voting cannot open before nominations close"):
        open_round(forum, secretariat, voting_open_at=now + dt.timedelta(hours=12))


def test_one_round_runs_at_a_time(forum, secretariat):
    open_round(forum, secretariat)
    with pytest.raises(DomainError, match="already running"):
        open_round(forum, secretariat)


def nominate_all(selection_round, reps):
    return [
        services.nomination_submit(selection_round, actor=user, organisation=org, candidate=user)
        for user, org in reps
    ]


def test_verified_csos_nominate_once_per_candidate(forum, secretariat, cso_reps):
    selection_round = open_round(forum, secretariat)
    nominate_all(selection_round, cso_reps)
    user, org = cso_reps[0]
    with pytest.raises(DomainError, match="already nominated"):
        services.nomination_submit(selection_round, actor=user, organisation=org, candidate=user)
    assert selection_round.nominations.count() == 3
    assert events("forums.nomination.submitted").count() == 3


def test_nominations_refused_outside_their_window(forum, cso_reps):
    user, org = cso_reps[0]
    selection_round = at_phase(SelectionRoundFactory(forum=forum), "voting")
    with pytest.raises(DomainError, match="Nominations are not open"):
        services.nomination_submit(selection_round, actor=user, organisation=org, candidate=user)


def test_unverified_or_foreign_csos_cannot_nominate(
    forum, unverified_cso_member, other_member_cso_member
):
    selection_round = SelectionRoundFactory(forum=forum)
    for person in (unverified_cso_member, other_member_cso_member):
        org = person.memberships.get().organisation
        with pytest.raises(DomainError, match="Only verified civil-society organisations"):
            services.nomination_submit(
                selection_round, actor=person, organisation=org, candidate=person
            )


def voting_round(forum, cso_reps, seats=2):
    selection_round = SelectionRoundFactory(forum=forum, seats=seats)
    nominations = nominate_all(selection_round, cso_reps)
    return at_phase(selection_round, "voting"), nominations


def test_one_ballot_per_cso_per_round_even_on_double_submit(forum, cso_reps):
    selection_round, nominations = voting_round(forum, cso_reps)
    user, org = cso_reps[0]
    services.ballot_cast(selection_round, actor=user, organisation=org, nominations=nominations[:2])
    # The same form posted twice.
    with pytest.raises(DomainError, match="already voted"):
        services.ballot_cast(
            selection_round, actor=user, organisation=org, nominations=nominations[:2]
        )
    # A colleague from the same CSO: still the one ballot.
    colleague = UserFactory()
    join(colleague, org)
    with pytest.raises(DomainError, match="already voted"):
        services.ballot_cast(
            selection_round, actor=colleague, organisation=org, nominations=nominations[2:]
        )
    assert Ballot.objects.filter(round=selection_round, organisation=org).count() == 1
    # And the database refuses a second row outright.
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(round=selection_round, organisation=org, cast_by=colleague)


def test_a_ballot_names_at_most_as_many_candidates_as_seats(forum, cso_reps):
    selection_round, nominations = voting_round(forum, cso_reps, seats=2)
    user, org = cso_reps[0]
    with pytest.raises(DomainError, match="at most 2"):
        services.ballot_cast(selection_round, actor=user, organisation=org, nominations=nominations)
    assert not Ballot.objects.exists()


def test_no_ballot_after_the_window_closes(forum, cso_reps):
    selection_round, nominations = voting_round(forum, cso_reps)
    at_phase(selection_round, "closed")
    user, org = cso_reps[0]
    with pytest.raises(DomainError, match="Voting has closed"):
        services.ballot_cast(
            selection_round, actor=user, organisation=org, nominations=nominations[:1]
        )
    # Exactly at the closing instant, the window is already closed.
    with pytest.raises(DomainError, match="Voting has closed"):
        services.ballot_cast(
            selection_round,
            actor=user,
            organisation=org,
            nominations=nominations[:1],
            now=selection_round.voting_close_at,
        )
    assert not Ballot.objects.exists()


def test_no_totals_before_voting_closes(forum, cso_reps):
    selection_round, nominations = voting_round(forum, cso_reps)
    user, org = cso_reps[0]
    services.ballot_cast(selection_round, actor=user, organisation=org, nominations=nominations[:1])
    with pytest.raises(DomainError, match="once voting has closed"):
        services.round_tally(selection_round)
    with pytest.raises(DomainError, match="once voting has closed"):
        services.round_publish_results(selection_round, actor=None)


def vote_and_close(selection_round, cso_reps, nominations, choices):
    for (user, org), picks in zip(cso_reps, choices, strict=True):
        services.ballot_cast(
            selection_round,
            actor=user,
            organisation=org,
            nominations=[nominations[i] for i in picks],
        )
    return at_phase(selection_round, "closed")


def test_results_are_published_with_counts_and_the_elected_take_their_seats(
    forum, secretariat, cso_reps
):
    selection_round, nominations = voting_round(forum, cso_reps, seats=2)
    vote_and_close(selection_round, cso_reps, nominations, [(0, 1), (0, 2), (0, 1)])

    services.round_publish_results(selection_round, actor=secretariat)

    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.RESULTS_PUBLISHED
    counts = dict(Nomination.objects.values_list("candidate_id", "votes"))
    assert counts == {cso_reps[0][0].pk: 3, cso_reps[1][0].pk: 2, cso_reps[2][0].pk: 1}
    seats = ForumSeat.objects.filter(selection_round=selection_round)
    assert {s.user for s in seats} == {cso_reps[0][0], cso_reps[1][0]}
    assert all(s.sector == Sector.CIVIL_SOCIETY for s in seats)
    assert all(s.selected_via == SelectionMethod.SELF_SELECTION for s in seats)
    assert all(s.term_starts_on == selection_round.term_starts_on for s in seats)
    event = events("forums.selection_round.results_published").get()
    assert event.data["ballots"] == 3
    # Publishing twice changes nothing.
    with pytest.raises(DomainError, match="already published"):
        services.round_publish_results(selection_round, actor=secretariat)
    assert ForumSeat.objects.filter(selection_round=selection_round).count() == 2


def test_electing_more_than_the_seats_is_refused(forum, secretariat, cso_reps):
    selection_round, nominations = voting_round(forum, cso_reps, seats=2)
    vote_and_close(selection_round, cso_reps, nominations, [(0, 1), (0, 2), (1, 2)])
    with pytest.raises(DomainError, match="fills 2 seats; 3 candidates"):
        services.round_publish_results(selection_round, actor=secretariat, elected=nominations)
    assert not ForumSeat.objects.exists()
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.OPEN


def test_a_tie_for_the_last_seat_is_left_to_the_publisher(forum, secretariat, cso_reps):
    selection_round, nominations = voting_round(forum, cso_reps, seats=2)
    # 0 has 3 votes; 1 and 2 tie with 1 vote each for the second seat.
    vote_and_close(selection_round, cso_reps, nominations, [(0, 1), (0, 2), (0,)])
    tally = services.round_tally(selection_round)
    assert [n.pk for n in services.default_elected(selection_round, tally)] == [nominations[0].pk]
    # Skipping the top candidate is refused.
    with pytest.raises(DomainError, match="more votes than an elected one"):
        services.round_publish_results(
            selection_round, actor=secretariat, elected=[nominations[1], nominations[2]]
        )
    services.round_publish_results(
        selection_round, actor=secretariat, elected=[nominations[0], nominations[2]]
    )
    assert ForumSeat.objects.filter(selection_round=selection_round).count() == 2


def test_the_elected_never_overflow_civil_society_seats(forum, secretariat, cso_reps):
    selection_round, nominations = voting_round(forum, cso_reps, seats=2)
    # Four civil-society seats are already taken over the new term.
    for _ in range(4):
        ForumSeatFactory(
            forum=forum,
            sector=Sector.CIVIL_SOCIETY,
            term_starts_on=selection_round.term_starts_on,
            term_ends_on=selection_round.term_ends_on,
        )
    vote_and_close(selection_round, cso_reps, nominations, [(0, 1), (0, 1), (0, 1)])
    with pytest.raises(DomainError, match="All Civil society seats are taken"):
        services.round_publish_results(selection_round, actor=secretariat)
    assert ForumSeat.objects.filter(sector=Sector.CIVIL_SOCIETY).count() == 4
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.OPEN


# --- meetings -----------------------------------------------------------------------------------


def test_meeting_flow_to_published_minutes(forum, civil_servant):
    meeting = services.meeting_schedule(
        forum,
        actor=civil_servant,
        title="Implementation review",
        kind=MeetingKind.IMPLEMENTATION_REVIEW,
        starts_at=timezone.now() - dt.timedelta(hours=2),
        location="Town hall",
        agenda="Progress",
    )
    with pytest.raises(DomainError, match="Record the attendance"):
        services.meeting_publish_minutes(meeting, actor=civil_servant, minutes_text="x")
    services.meeting_record_attendance(
        meeting, actor=civil_servant, counts={Sector.GOVERNMENT: 4, Sector.CIVIL_SOCIETY: 5}
    )
    assert meeting.status == MeetingStatus.HELD
    services.decision_add(meeting, actor=civil_servant, text="Adopt the report.")
    services.decision_add(meeting, actor=civil_servant, text="Meet again in March.")
    services.action_item_add(
        meeting, actor=civil_servant, description="Send report", owner="Ministry", due_on=TODAY
    )
    services.meeting_publish_minutes(meeting, actor=civil_servant, minutes_text="We met.")

    assert meeting.status == MeetingStatus.MINUTES_PUBLISHED
    document = RepositoryDocument.objects.get(meeting=meeting)
    assert document.doc_type == DocumentType.MEETING_MINUTES
    assert document.url == meeting.get_absolute_url()
    for action in (
        "forums.meeting.scheduled",
        "forums.meeting.attendance_recorded",
        "forums.decision.recorded",
        "forums.action_item.recorded",
        "forums.meeting.minutes_published",
    ):
        assert events(action).exists(), action
    # Published minutes are on record: nothing more is added, nothing published twice.
    with pytest.raises(DomainError, match="on record"):
        services.decision_add(meeting, actor=civil_servant, text="Late decision")
    with pytest.raises(DomainError, match="on record"):
        services.meeting_publish_minutes(meeting, actor=civil_servant, minutes_text="again")
    assert RepositoryDocument.objects.filter(meeting=meeting).count() == 1


def test_attendance_only_once_the_meeting_started(forum, civil_servant):
    meeting = ForumMeetingFactory(forum=forum, starts_at=timezone.now() + dt.timedelta(days=1))
    with pytest.raises(DomainError, match="once the meeting has started"):
        services.meeting_record_attendance(
            meeting, actor=civil_servant, counts={Sector.GOVERNMENT: 1}
        )


def test_a_meeting_needs_a_place_or_a_link(forum, civil_servant):
    with pytest.raises(DomainError, match="place or an online link"):
        services.meeting_schedule(
            forum,
            actor=civil_servant,
            title="x",
            kind=MeetingKind.REGULAR,
            starts_at=timezone.now(),
            agenda="x",
        )


def test_meeting_times_must_be_aware(forum, civil_servant):
    with pytest.raises(DomainError, match="time zone"):
        services.meeting_schedule(
            forum,
            actor=civil_servant,
            title="x",
            kind=MeetingKind.REGULAR,
            starts_at=dt.datetime(2026, 1, 1, 10, 0),  # noqa: DTZ001 -- the point of the test
            location="Here",
            agenda="x",
        )


# --- threads ------------------------------------------------------------------------------------


def test_threads_and_replies_are_recorded(forum, msf_member):
    thread = services.thread_start(
        forum, actor=msf_member, title="Agenda", body="Ideas?", is_public=False
    )
    services.thread_reply(thread, actor=msf_member, body="Budget data.")
    assert thread.posts.count() == 2
    assert events("forums.thread.started").exists()
    assert events("forums.post.created").exists()


def test_a_candidate_already_seated_cannot_be_elected_to_a_second_seat(
    forum, secretariat, cso_reps
):
    selection_round, nominations = voting_round(forum, cso_reps, seats=2)
    vote_and_close(selection_round, cso_reps, nominations, [(0, 1), (0, 2), (0, 1)])
    first = cso_reps[0][0]
    ForumSeatFactory(
        forum=forum, user=first, sector=Sector.CIVIL_SOCIETY, name="Already here",
        term_starts_on=selection_round.term_starts_on,
        term_ends_on=selection_round.term_ends_on,
    )  # fmt: skip
    with pytest.raises(DomainError, match="at most one seat per forum"):
        services.round_publish_results(selection_round, actor=secretariat)
    selection_round.refresh_from_db()
    assert selection_round.status == RoundStatus.OPEN
    assert ForumSeat.objects.filter(user=first).count() == 1
