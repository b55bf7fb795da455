"""Civil-society self-selection: rounds, nominations, ballots, the count and the results."""

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.choices import (
    RoundStatus,
    SeatRole,
    Sector,
    SelectionMethod,
)
from forums.models import (
    Ballot,
    BallotChoice,
    Forum,
    Nomination,
    SelectionRound,
)
from forums.publications import Publication, published
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.organisations.choices import MembershipStatus, OrganisationKind
from ogp_portal.organisations.models import Organisation, OrganisationMembership
from ogp_portal.organisations.rules import acting_refusal, organisation_refusal
from ogp_portal.users.models import User

from .forum import _seat_create


@transaction.atomic
def round_open(
    forum: Forum,
    *,
    actor: User,
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
def round_cancel(selection_round: SelectionRound, *, actor: User, reason: str) -> SelectionRound:
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


def _check_acts_for_cso(actor: User, organisation: Organisation, member_id: int) -> None:
    """The actor may act for this organisation (organisations.rules), which must be a verified
    CSO of the round's member: forum seats are civil society's."""
    if organisation_refusal(organisation, member_id, kinds=FORUM_KINDS):
        raise DomainError(_("Only verified civil-society organisations of this member take part."))
    refusal = acting_refusal(actor, organisation, member_id, kinds=FORUM_KINDS)
    if refusal:
        raise DomainError(refusal)


FORUM_KINDS = frozenset({OrganisationKind.CSO})


@transaction.atomic
def nomination_submit(
    selection_round: SelectionRound,
    *,
    actor: User,
    organisation: Organisation,
    candidate: User,
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
    actor: User,
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
        # Nomination declares `vote_count` (not a column) for the typed tally; the stubs'
        # plugin takes the annotation for a second definition of it.
        .annotate(vote_count=Count("ballot_choices"))  # type: ignore[no-redef]
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
    actor: User | None,
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
