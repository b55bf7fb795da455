"""Every write of the forum, the selection rounds, meetings and threads.

Each service takes the object first, then keyword-only `actor` and inputs; it checks the
OGP rules that apply, raises DomainError with a message people can act on, and records one
audit event. Views authorize; services enforce the process.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.organisations.choices import MembershipStatus, OrganisationKind
from ogp_portal.organisations.models import Member, Organisation, OrganisationMembership
from plans.models import ActionPlan, PolicyArea

from .choices import (
    MeetingStatus,
    RoundStatus,
    SeatRole,
    Sector,
    SelectionMethod,
)
from .models import (
    ActionItem,
    Ballot,
    BallotChoice,
    Decision,
    Forum,
    ForumMeeting,
    ForumSeat,
    MeetingAttendance,
    Nomination,
    Post,
    SeatAllocation,
    SelectionRound,
    Thread,
    WorkingGroup,
    WorkingGroupMember,
)
from .publications import Publication, published
from .rules import forget_seats
from .workflows import MEETING_TRANSITIONS, can_transition

SECTORS = [value for value, _label in Sector.choices]


def _sector_label(sector: str) -> str:
    return str(Sector(sector).label)


# --- the forum and its seats --------------------------------------------------------------------


def _check_rotation(rotation: list[str], months: int) -> None:
    if any(sector not in SECTORS for sector in rotation):
        raise DomainError(_("The chair rotation names an unknown sector."))
    if len(rotation) == 1:
        raise DomainError(_("A rotation needs at least two sectors; leave it empty otherwise."))
    if months <= 0:
        raise DomainError(_("A chair term lasts at least one month."))


def _sync_rules_document(forum: Forum, actor) -> None:
    """The rules of participation must be public (MR 1.1): put them on the record."""
    published(
        Publication(
            kind="forum_rules",
            forum=forum,
            title=forum.name,
            url=forum.get_absolute_url() + "#rules",
            actor=actor,
        )
    )


def _set_allocations(forum: Forum, seats: dict[str, int]) -> None:
    for sector in SECTORS:
        count = int(seats.get(sector) or 0)
        if count < 0:
            raise DomainError(_("A sector cannot have fewer than zero seats."))
        SeatAllocation.objects.update_or_create(
            forum=forum, sector=sector, defaults={"seats": count}
        )


@transaction.atomic
def forum_setup(
    member: Member,
    *,
    actor,
    name: str,
    mandate: str,
    rules_of_participation: str,
    seats: dict[str, int],
    chair_rotation: list[str] | None = None,
    chair_rotation_months: int = 12,
    chair_rotation_starts_on: dt.date | None = None,
) -> Forum:
    """Set up the member's forum with its seats per sector. One forum per member: setting
    up a second one is refused. The rules of participation go to the public repository."""
    rotation = list(chair_rotation or [])
    _check_rotation(rotation, chair_rotation_months)
    if rotation and chair_rotation_starts_on is None:
        raise DomainError(_("Say when the chair rotation starts."))
    if Forum.objects.filter(member=member).exists():
        raise DomainError(_("%(member)s already has a forum.") % {"member": member})
    try:
        with transaction.atomic():
            forum = Forum.objects.create(
                member=member,
                name=name,
                mandate=mandate,
                rules_of_participation=rules_of_participation,
                chair_rotation=rotation,
                chair_rotation_months=chair_rotation_months,
                chair_rotation_starts_on=chair_rotation_starts_on,
            )
    except IntegrityError:
        raise DomainError(_("%(member)s already has a forum.") % {"member": member}) from None
    _set_allocations(forum, seats)
    _sync_rules_document(forum, actor)
    record_event(actor, "forums.forum.set_up", forum, seats={s: seats.get(s, 0) for s in SECTORS})
    return forum


@transaction.atomic
def forum_update(
    forum: Forum,
    *,
    actor,
    name: str,
    mandate: str,
    rules_of_participation: str,
    seats: dict[str, int],
    chair_rotation: list[str] | None = None,
    chair_rotation_months: int = 12,
    chair_rotation_starts_on: dt.date | None = None,
) -> Forum:
    """Change the forum's description, seats or chair rotation. A sector's seats cannot go
    below the number of people sitting for it today."""
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    rotation = list(chair_rotation or [])
    _check_rotation(rotation, chair_rotation_months)
    if rotation and chair_rotation_starts_on is None:
        raise DomainError(_("Say when the chair rotation starts."))
    occupied = dict(
        forum.seats.current()
        .occupying()
        .values_list("sector")
        .annotate(n=Count("pk"))
        .values_list("sector", "n")
    )
    for sector in SECTORS:
        if int(seats.get(sector) or 0) < occupied.get(sector, 0):
            raise DomainError(
                _("%(sector)s has %(n)s people sitting today; it cannot have fewer seats.")
                % {"sector": _sector_label(sector), "n": occupied[sector]}
            )
    before = dict(forum.seat_allocations.values_list("sector", "seats"))
    forum.name = name
    forum.mandate = mandate
    forum.rules_of_participation = rules_of_participation
    forum.chair_rotation = rotation
    forum.chair_rotation_months = chair_rotation_months
    forum.chair_rotation_starts_on = chair_rotation_starts_on
    forum.save()
    _set_allocations(forum, seats)
    _sync_rules_document(forum, actor)
    record_event(
        actor,
        "forums.forum.updated",
        forum,
        seats_before=before,
        seats_after={s: int(seats.get(s) or 0) for s in SECTORS},
    )
    return forum


def _sector_is_full(
    forum: Forum, sector: str, starts_on: dt.date, ends_on: dt.date, adding: int = 1
) -> bool:
    """Would `adding` more seats in `sector` over [starts_on, ends_on] exceed the allocation
    on any day? Occupancy only rises on the day a term starts, so those days are checked."""
    allocation = (
        SeatAllocation.objects.filter(forum=forum, sector=sector)
        .values_list("seats", flat=True)
        .first()
    ) or 0
    terms = list(
        forum.seats.occupying()
        .filter(sector=sector)
        .overlapping(starts_on, ends_on)
        .values_list("term_starts_on", "term_ends_on")
    )
    days = {starts_on} | {start for start, _end in terms if start >= starts_on}
    for day in days:
        sitting = sum(1 for start, end in terms if start <= day <= end)
        if sitting + adding > allocation:
            return True
    return False


def _seat_create(forum: Forum, *, role: str, sector: str, starts_on, ends_on, **fields):
    if ends_on <= starts_on:
        raise DomainError(_("A term must end after it starts."))
    if role != SeatRole.ALTERNATE and _sector_is_full(forum, sector, starts_on, ends_on):
        raise DomainError(
            _(
                "All %(sector)s seats are taken for that term. End a current term first, or "
                "add the person as an alternate."
            )
            % {"sector": _sector_label(sector)}
        )
    seat = ForumSeat.objects.create(
        forum=forum,
        role=role,
        sector=sector,
        term_starts_on=starts_on,
        term_ends_on=ends_on,
        **fields,
    )
    if seat.user is not None:
        forget_seats(seat.user)
    return seat


@transaction.atomic
def seat_add(
    forum: Forum,
    *,
    actor,
    name: str,
    sector: str,
    role: str,
    term_starts_on: dt.date,
    term_ends_on: dt.date,
    user=None,
    organisation: Organisation | None = None,
    selected_via: str = SelectionMethod.APPOINTMENT,
) -> ForumSeat:
    """Seat a person on the forum. Refused when the sector's seats are all taken on any day
    of the term (alternates take no seat), or when the term does not end after it starts."""
    # Lock the forum row so two concurrent additions cannot both take the last seat (on
    # SQLite the IMMEDIATE transaction already serialises writers).
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    if organisation is not None and organisation.member_id not in (None, forum.member_id):
        raise DomainError(_("The organisation belongs to another member."))
    seat = _seat_create(
        forum,
        role=role,
        sector=sector,
        starts_on=term_starts_on,
        ends_on=term_ends_on,
        name=name,
        user=user,
        organisation=organisation,
        selected_via=selected_via,
    )
    record_event(
        actor,
        "forums.seat.added",
        seat,
        sector=sector,
        role=role,
        term=[term_starts_on.isoformat(), term_ends_on.isoformat()],
    )
    return seat


@transaction.atomic
def seat_end(seat: ForumSeat, *, actor, ends_on: dt.date, reason: str) -> ForumSeat:
    """End a term early (resignation, replacement). A reason is required."""
    if not reason.strip():
        raise DomainError(_("Say why the term ends early."))
    if ends_on <= seat.term_starts_on:
        raise DomainError(_("A term must end after it starts."))
    if ends_on >= seat.term_ends_on:
        raise DomainError(_("The term already ends on or before that date."))
    before = seat.term_ends_on
    ForumSeat.objects.filter(pk=seat.pk).update(term_ends_on=ends_on)
    seat.refresh_from_db()
    if seat.user is not None:
        forget_seats(seat.user)
    record_event(
        actor,
        "forums.seat.ended",
        seat,
        reason=reason,
        from_date=before.isoformat(),
        to_date=ends_on.isoformat(),
    )
    return seat


# --- civil-society self-selection ---------------------------------------------------------------


@transaction.atomic
def round_open(
    forum: Forum,
    *,
    actor,
    title: str,
    seats: int,
    nominations_open_at: dt.datetime,
    nominations_close_at: dt.datetime,
    voting_open_at: dt.datetime,
    voting_close_at: dt.datetime,
    term_starts_on: dt.date,
    term_ends_on: dt.date,
) -> SelectionRound:
    """Open a selection round for the civil-society seats, with its nomination and voting
    windows. One round runs at a time; it cannot fill more seats than civil society has."""
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    for value in (nominations_open_at, nominations_close_at, voting_open_at, voting_close_at):
        if timezone.is_naive(value):
            raise DomainError(_("Times must carry a time zone."))
    if nominations_close_at <= nominations_open_at:
        raise DomainError(_("Nominations must close after they open."))
    if voting_open_at < nominations_close_at:
        raise DomainError(_("Voting cannot open before nominations close."))
    if voting_close_at <= voting_open_at:
        raise DomainError(_("Voting must close after it opens."))
    if term_ends_on <= term_starts_on:
        raise DomainError(_("A term must end after it starts."))
    civil_society_seats = (
        forum.seat_allocations.filter(sector=Sector.CIVIL_SOCIETY)
        .values_list("seats", flat=True)
        .first()
    ) or 0
    if seats <= 0 or seats > civil_society_seats:
        raise DomainError(
            _("Civil society has %(n)s seats on this forum; a round fills between 1 and %(n)s.")
            % {"n": civil_society_seats}
        )
    if forum.selection_rounds.filter(status=RoundStatus.OPEN).exists():
        raise DomainError(
            _("A selection round is already running; publish its results or cancel it first.")
        )
    selection_round = SelectionRound.objects.create(
        forum=forum,
        title=title,
        seats=seats,
        nominations_open_at=nominations_open_at,
        nominations_close_at=nominations_close_at,
        voting_open_at=voting_open_at,
        voting_close_at=voting_close_at,
        term_starts_on=term_starts_on,
        term_ends_on=term_ends_on,
        opened_by=actor,
    )
    record_event(actor, "forums.selection_round.opened", selection_round, seats=seats)
    return selection_round


@transaction.atomic
def round_cancel(selection_round: SelectionRound, *, actor, reason: str) -> SelectionRound:
    """Cancel a running round (nothing is elected). A reason is required."""
    if not reason.strip():
        raise DomainError(_("Say why the round is cancelled."))
    updated = SelectionRound.objects.filter(pk=selection_round.pk, status=RoundStatus.OPEN).update(
        status=RoundStatus.CANCELLED
    )
    if not updated:
        raise DomainError(_("This round is no longer running."))
    selection_round.refresh_from_db()
    record_event(
        actor,
        "forums.selection_round.cancelled",
        selection_round,
        reason=reason,
        from_state=RoundStatus.OPEN,
        to_state=RoundStatus.CANCELLED,
    )
    return selection_round


def _check_acts_for_cso(actor, organisation: Organisation, member_id: int) -> None:
    """The actor is an approved member of this verified CSO of the round's member."""
    if (
        organisation.kind != OrganisationKind.CSO
        or organisation.verified_at is None
        or organisation.member_id != member_id
    ):
        raise DomainError(_("Only verified civil-society organisations of this member take part."))
    if not OrganisationMembership.objects.filter(
        user=actor, organisation=organisation, status=MembershipStatus.APPROVED
    ).exists():
        raise DomainError(_("You do not represent %(org)s.") % {"org": organisation})


@transaction.atomic
def nomination_submit(
    selection_round: SelectionRound,
    *,
    actor,
    organisation: Organisation,
    candidate,
    statement: str = "",
    now: dt.datetime | None = None,
) -> Nomination:
    """A verified CSO nominates one of its approved members while nominations are open.
    A candidate is nominated once per round."""
    now = now or timezone.now()
    if not selection_round.nominations_are_open(now):
        raise DomainError(_("Nominations are not open for this round."))
    member_id = selection_round.forum.member_id
    _check_acts_for_cso(actor, organisation, member_id)
    if not OrganisationMembership.objects.filter(
        user=candidate, organisation=organisation, status=MembershipStatus.APPROVED
    ).exists():
        raise DomainError(
            _("The candidate must be an approved member of %(org)s.") % {"org": organisation}
        )
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                round=selection_round,
                candidate=candidate,
                candidate_name=candidate.name or candidate.email,
                organisation=organisation,
                statement=statement,
                nominated_by=actor,
            )
    except IntegrityError:
        raise DomainError(
            _("%(name)s is already nominated in this round.")
            % {"name": candidate.name or candidate.email}
        ) from None
    record_event(actor, "forums.nomination.submitted", nomination, organisation=organisation.pk)
    return nomination


@transaction.atomic
def ballot_cast(
    selection_round: SelectionRound,
    *,
    actor,
    organisation: Organisation,
    nominations: Iterable[Nomination],
    now: dt.datetime | None = None,
) -> Ballot:
    """A verified CSO casts its one ballot for up to `seats` candidates while voting is open.
    The ballot is final: a second one from the same organisation (another representative,
    or a double submit) is refused, and nothing is accepted once the window has closed."""
    now = now or timezone.now()
    if not selection_round.voting_is_open(now):
        if selection_round.voting_has_closed(now):
            raise DomainError(_("Voting has closed for this round; ballots are final."))
        raise DomainError(_("Voting is not open for this round."))
    _check_acts_for_cso(actor, organisation, selection_round.forum.member_id)
    chosen = list({n.pk: n for n in nominations}.values())
    if not chosen:
        raise DomainError(_("Choose at least one candidate."))
    if len(chosen) > selection_round.seats:
        raise DomainError(
            _("Choose at most %(n)s candidates, one per seat.") % {"n": selection_round.seats}
        )
    if any(n.round_id != selection_round.pk for n in chosen):
        raise DomainError(_("Choose among this round's candidates."))
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(
                round=selection_round, organisation=organisation, cast_by=actor
            )
    except IntegrityError:
        raise DomainError(
            _("%(org)s has already voted in this round; its ballot is final.")
            % {"org": organisation}
        ) from None
    BallotChoice.objects.bulk_create(BallotChoice(ballot=ballot, nomination=n) for n in chosen)
    # The audit trail says who voted, not for whom: counts are published, choices are not.
    record_event(actor, "forums.ballot.cast", ballot, organisation=organisation.pk)
    return ballot


def round_tally(
    selection_round: SelectionRound, *, now: dt.datetime | None = None
) -> list[Nomination]:
    """The candidates with their votes (`.vote_count`), most votes first. Refused while the
    vote is running: nobody sees running totals."""
    if not selection_round.voting_has_closed(now):
        raise DomainError(_("The counts are shown once voting has closed."))
    if selection_round.status == RoundStatus.RESULTS_PUBLISHED:
        nominations = list(
            selection_round.nominations.select_related("organisation").order_by(
                "-votes", "candidate_name"
            )
        )
        for nomination in nominations:
            nomination.vote_count = nomination.votes or 0
        return nominations
    return list(
        selection_round.nominations.select_related("organisation")
        .annotate(vote_count=Count("ballot_choices"))
        .order_by("-vote_count", "candidate_name")
    )


def default_elected(selection_round: SelectionRound, tally: list[Nomination]) -> list[Nomination]:
    """The top `seats` candidates with at least one vote, leaving out candidates tied for the
    last seat (the forum breaks ties by its rules, then the publisher picks)."""
    ranked = [n for n in tally if n.vote_count > 0]
    if len(ranked) <= selection_round.seats:
        return ranked
    cutoff = ranked[selection_round.seats - 1].vote_count
    if ranked[selection_round.seats].vote_count == cutoff:
        return [n for n in ranked if n.vote_count > cutoff]
    return ranked[: selection_round.seats]


@transaction.atomic
def round_publish_results(
    selection_round: SelectionRound,
    *,
    actor,
    elected: Iterable[Nomination] | None = None,
    now: dt.datetime | None = None,
) -> SelectionRound:
    """Publish the counts and seat the elected for the round's term.

    `elected` defaults to the top candidates; pass it to break a tie. Refused before voting
    closes, when more are elected than the round has seats, when an elected candidate has
    fewer votes than one left out, or when civil society's seats would overflow."""
    now = now or timezone.now()
    tally = round_tally(selection_round, now=now)
    if selection_round.status != RoundStatus.OPEN:
        raise DomainError(_("The results of this round are already published."))
    elected_list = default_elected(selection_round, tally) if elected is None else list(elected)
    elected_ids = {n.pk for n in elected_list}
    if len(elected_ids) > selection_round.seats:
        raise DomainError(
            _("This round fills %(n)s seats; %(m)s candidates cannot be elected.")
            % {"n": selection_round.seats, "m": len(elected_ids)}
        )
    votes = {n.pk: n.vote_count for n in tally}
    if not elected_ids <= set(votes):
        raise DomainError(_("Elect among this round's candidates."))
    if elected_ids:
        lowest_elected = min(votes[pk] for pk in elected_ids)
        if any(votes[pk] > lowest_elected for pk in votes if pk not in elected_ids):
            raise DomainError(_("A candidate with more votes than an elected one was left out."))
    updated = SelectionRound.objects.filter(pk=selection_round.pk, status=RoundStatus.OPEN).update(
        status=RoundStatus.RESULTS_PUBLISHED, results_published_at=now
    )
    if not updated:
        raise DomainError(_("The results of this round are already published."))
    forum = Forum.objects.select_for_update().get(pk=selection_round.forum_id)
    for nomination in tally:
        Nomination.objects.filter(pk=nomination.pk).update(
            votes=nomination.vote_count, is_elected=nomination.pk in elected_ids
        )
        if nomination.pk in elected_ids:
            _seat_create(
                forum,
                role=SeatRole.MEMBER,
                sector=Sector.CIVIL_SOCIETY,
                starts_on=selection_round.term_starts_on,
                ends_on=selection_round.term_ends_on,
                name=nomination.candidate_name,
                user=nomination.candidate,
                organisation=nomination.organisation,
                selected_via=SelectionMethod.SELF_SELECTION,
                selection_round=selection_round,
            )
    selection_round.refresh_from_db()
    published(
        Publication(
            kind="round_results",
            forum=forum,
            title=selection_round.title,
            url=selection_round.get_absolute_url(),
            actor=actor,
            published_at=now,
        )
    )
    record_event(
        actor,
        "forums.selection_round.results_published",
        selection_round,
        from_state=RoundStatus.OPEN,
        to_state=RoundStatus.RESULTS_PUBLISHED,
        votes={str(pk): count for pk, count in votes.items()},
        elected=sorted(elected_ids),
        ballots=selection_round.ballots.count(),
    )
    return selection_round


# --- meetings -----------------------------------------------------------------------------------


@transaction.atomic
def meeting_schedule(
    forum: Forum,
    *,
    actor,
    title: str,
    kind: str,
    starts_at: dt.datetime,
    agenda: str,
    ends_at: dt.datetime | None = None,
    location: str = "",
    online_url: str = "",
    working_group: WorkingGroup | None = None,
    plan: ActionPlan | None = None,
) -> ForumMeeting:
    """Schedule a meeting of the forum (or one of its working groups): a time, a place or an
    online link, and an agenda."""
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise DomainError(_("Times must carry a time zone."))
    if ends_at is not None and ends_at <= starts_at:
        raise DomainError(_("A meeting must end after it starts."))
    if not location.strip() and not online_url.strip():
        raise DomainError(_("Give a place or an online link."))
    if working_group is not None and working_group.forum_id != forum.pk:
        raise DomainError(_("The working group belongs to another forum."))
    if plan is not None and plan.member_id != forum.member_id:
        raise DomainError(_("The action plan belongs to another member."))
    meeting = ForumMeeting.objects.create(
        forum=forum,
        working_group=working_group,
        plan=plan,
        title=title,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        online_url=online_url,
        agenda=agenda,
        scheduled_by=actor,
    )
    record_event(
        actor,
        "forums.meeting.scheduled",
        meeting,
        kind=kind,
        starts_at=starts_at.isoformat(),
        working_group=working_group.pk if working_group else None,
    )
    return meeting


def _move_meeting(meeting: ForumMeeting, new: str, **fields) -> str:
    """Compare-and-set the meeting's status; returns the old one."""
    old = meeting.status
    if not can_transition(MEETING_TRANSITIONS, old, new):
        if old == MeetingStatus.MINUTES_PUBLISHED:
            raise DomainError(_("The minutes of this meeting are published; it is on record."))
        raise DomainError(_("Record the attendance before publishing the minutes."))
    updated = ForumMeeting.objects.filter(pk=meeting.pk, status=old).update(
        status=new, updated_at=timezone.now(), **fields
    )
    if not updated:
        raise DomainError(_("Someone else changed this meeting meanwhile; reload and retry."))
    meeting.refresh_from_db()
    return old


@transaction.atomic
def meeting_record_attendance(
    meeting: ForumMeeting,
    *,
    actor,
    counts: dict[str, int],
    now: dt.datetime | None = None,
) -> ForumMeeting:
    """Record how many people of each sector attended; the meeting is then held. Refused
    before the meeting starts and once its minutes are published."""
    now = now or timezone.now()
    if meeting.starts_at > now:
        raise DomainError(_("Attendance is recorded once the meeting has started."))
    if sum(int(counts.get(s) or 0) for s in SECTORS) <= 0:
        raise DomainError(_("Nobody attended? Enter at least one person."))
    old = _move_meeting(meeting, MeetingStatus.HELD)
    for sector in SECTORS:
        MeetingAttendance.objects.update_or_create(
            meeting=meeting, sector=sector, defaults={"count": int(counts.get(sector) or 0)}
        )
    record_event(
        actor,
        "forums.meeting.attendance_recorded",
        meeting,
        from_state=old,
        to_state=MeetingStatus.HELD,
        attendance={s: int(counts.get(s) or 0) for s in SECTORS},
    )
    return meeting


def _check_minutes_open(meeting: ForumMeeting) -> None:
    if meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        raise DomainError(_("The minutes of this meeting are published; it is on record."))


@transaction.atomic
def decision_add(meeting: ForumMeeting, *, actor, text: str) -> Decision:
    """Record a decision of the meeting, before its minutes are published."""
    _check_minutes_open(meeting)
    if not text.strip():
        raise DomainError(_("Write the decision."))
    position = meeting.decisions.count() + 1
    decision = Decision.objects.create(meeting=meeting, text=text.strip(), position=position)
    record_event(actor, "forums.decision.recorded", decision, meeting=meeting.pk)
    return decision


@transaction.atomic
def action_item_add(
    meeting: ForumMeeting, *, actor, description: str, owner: str, due_on: dt.date
) -> ActionItem:
    """Record an action item (who does what by when), before the minutes are published."""
    _check_minutes_open(meeting)
    item = ActionItem.objects.create(
        meeting=meeting, description=description, owner=owner, due_on=due_on
    )
    record_event(
        actor, "forums.action_item.recorded", item, meeting=meeting.pk, due_on=due_on.isoformat()
    )
    return item


@transaction.atomic
def meeting_publish_minutes(
    meeting: ForumMeeting,
    *,
    actor,
    minutes_text: str = "",
    minutes_file=None,
    now: dt.datetime | None = None,
) -> ForumMeeting:
    """Publish the minutes (text, a file, or both). From now on the meeting counts as
    evidence, and its minutes appear in the member's repository."""
    now = now or timezone.now()
    if not minutes_text.strip() and not minutes_file:
        raise DomainError(_("Write the minutes or attach them as a file."))
    _check_minutes_open(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError(_("Record the attendance before publishing the minutes."))
    if minutes_file:
        # Save the file first; the status only moves if the compare-and-set below succeeds.
        meeting.minutes_file.save(minutes_file.name, minutes_file, save=False)
    old = _move_meeting(
        meeting,
        MeetingStatus.MINUTES_PUBLISHED,
        minutes_text=minutes_text.strip(),
        minutes_file=meeting.minutes_file.name or "",
        minutes_published_at=now,
    )
    published(
        Publication(
            kind="meeting_minutes",
            forum=meeting.forum,
            title=meeting.title,
            url=meeting.get_absolute_url(),
            actor=actor,
            published_at=now,
            plan=meeting.plan,
            meeting=meeting,
        )
    )
    record_event(
        actor,
        "forums.meeting.minutes_published",
        meeting,
        from_state=old,
        to_state=MeetingStatus.MINUTES_PUBLISHED,
        decisions=meeting.decisions.count(),
    )
    _notify_minutes_published(meeting)
    return meeting


def _notify_minutes_published(meeting: ForumMeeting) -> None:
    """The meeting's audience (forums.reminders.meeting_audience) hears the minutes are out."""
    from django.utils.translation import gettext_lazy

    from ogp_portal.core.notifications import notify
    from ogp_portal.core.reminders import lazy_format

    from .reminders import meeting_audience

    notify(
        meeting_audience(meeting),
        "minutes.published",
        lazy_format(gettext_lazy("Minutes published: %(title)s"), {"title": meeting.title}),
        "forums/emails/minutes_published.txt",
        {"meeting": meeting, "time_zone": meeting.forum.member.time_zone},
        target=meeting,
        url=meeting.get_absolute_url(),
    )


# --- working groups -----------------------------------------------------------------------------


@transaction.atomic
def working_group_create(
    forum: Forum,
    *,
    actor,
    name: str,
    description: str = "",
    policy_area: PolicyArea | None = None,
) -> WorkingGroup:
    """A thematic working group or commitment team, attached to one of the member's policy
    areas (a link to a commitment comes with the commitments app)."""
    if policy_area is not None and policy_area.plan.member_id != forum.member_id:
        raise DomainError(_("The policy area belongs to another member's plan."))
    if forum.working_groups.filter(name__iexact=name.strip()).exists():
        raise DomainError(_("This forum already has a working group with that name."))
    group = WorkingGroup.objects.create(
        forum=forum, name=name.strip(), description=description, policy_area=policy_area
    )
    record_event(actor, "forums.working_group.created", group)
    return group


@transaction.atomic
def working_group_add_member(
    group: WorkingGroup,
    *,
    actor,
    name: str,
    sector: str,
    organisation: Organisation | None = None,
    user=None,
) -> WorkingGroupMember:
    if group.members.filter(name__iexact=name.strip()).exists():
        raise DomainError(_("%(name)s is already in this group.") % {"name": name})
    person = WorkingGroupMember.objects.create(
        group=group, name=name.strip(), sector=sector, organisation=organisation, user=user
    )
    record_event(actor, "forums.working_group_member.added", person, group=group.pk)
    return person


# --- the discussion space -----------------------------------------------------------------------


@transaction.atomic
def thread_start(forum: Forum, *, actor, title: str, body: str, is_public: bool) -> Thread:
    """Start a thread with its first message. Public threads are readable by anyone."""
    thread = Thread.objects.create(forum=forum, title=title, is_public=is_public, created_by=actor)
    Post.objects.create(thread=thread, author=actor, body=body)
    record_event(actor, "forums.thread.started", thread, is_public=is_public)
    return thread


@transaction.atomic
def thread_reply(thread: Thread, *, actor, body: str) -> Post:
    if not body.strip():
        raise DomainError(_("Write a message."))
    post = Post.objects.create(thread=thread, author=actor, body=body)
    Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
    record_event(actor, "forums.post.created", post, thread=thread.pk)
    return post


@transaction.atomic
def thread_set_visibility(thread: Thread, *, actor, is_public: bool) -> Thread:
    before = thread.is_public
    Thread.objects.filter(pk=thread.pk).update(is_public=is_public)
    thread.refresh_from_db()
    if before != is_public:
        record_event(
            actor,
            "forums.thread.made_public" if is_public else "forums.thread.made_private",
            thread,
        )
    return thread
