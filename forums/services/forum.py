"""The forum and its seats: setting it up, its allocation per sector, seating people and
ending their terms."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from forums.choices import (
    SeatRole,
    Sector,
    SelectionMethod,
)
from forums.models import (
    Forum,
    ForumSeat,
    SeatAllocation,
)
from forums.publications import Publication, published
from forums.rules import forget_seats
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError
from ogp_portal.organisations.models import Member, Organisation
from ogp_portal.users.models import User

SECTORS = [value for value, _label in Sector.choices]


def _sync_rules_document(forum: Forum, actor: User) -> None:
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


def _sector_label(sector: str) -> str:
    return str(Sector(sector).label)


def _check_rotation(rotation: list[str], months: int) -> None:
    if any(sector not in SECTORS for sector in rotation):
        raise DomainError(_("The chair rotation names an unknown sector."))
    if len(rotation) == 1:
        raise DomainError(_("A rotation needs at least two sectors; leave it empty otherwise."))
    if months <= 0:
        raise DomainError(_("A chair term lasts at least one month."))


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
    actor: User,
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
    actor: User,
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


def _seat_create(
    forum: Forum,
    *,
    role: str,
    sector: str,
    starts_on: dt.date,
    ends_on: dt.date,
    **fields: Any,
) -> ForumSeat:
    if ends_on <= starts_on:
        raise DomainError(_("A term must end after it starts."))
    user = fields.get("user")
    if user is not None and forum.seats.filter(user=user).overlapping(starts_on, ends_on).exists():
        # A person holds one seat per forum (issue #16): one voice, one vote.
        raise DomainError(
            _(
                "%(name)s already holds a seat on this forum during that term; a person "
                "holds at most one seat per forum."
            )
            % {"name": fields.get("name") or user}
        )
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
    actor: User,
    name: str,
    sector: str,
    role: str,
    term_starts_on: dt.date,
    term_ends_on: dt.date,
    user: User | None = None,
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
def seat_end(seat: ForumSeat, *, actor: User, ends_on: dt.date, reason: str) -> ForumSeat:
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
