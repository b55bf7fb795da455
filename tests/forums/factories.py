"""Forum records for tests, built directly (services are tested on their own)."""

import datetime as dt

import factory
from django.utils import timezone

from forums.choices import MeetingKind, MeetingStatus, SeatRole, Sector
from forums.models import (
    Forum,
    ForumMeeting,
    ForumSeat,
    SeatAllocation,
    SelectionRound,
    Thread,
)
from tests.factories import MemberFactory


class ForumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forum

    member = factory.SubFactory(MemberFactory)
    name = factory.Sequence(lambda n: f"Forum {n}")
    mandate = "Co-create and monitor the action plan."
    rules_of_participation = "Open to all verified organisations; decisions by consensus."


def allocate(forum, **seats):
    for sector, count in seats.items():
        SeatAllocation.objects.update_or_create(
            forum=forum, sector=sector, defaults={"seats": count}
        )


class ForumSeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumSeat

    forum = factory.SubFactory(ForumFactory)
    name = factory.Sequence(lambda n: f"Seat holder {n}")
    sector = Sector.GOVERNMENT
    role = SeatRole.MEMBER
    term_starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    term_ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=700))


class SelectionRoundFactory(factory.django.DjangoModelFactory):
    """A round whose nominations are open now (shift with `at_phase`)."""

    class Meta:
        model = SelectionRound

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"Civil-society selection {n}")
    seats = 2
    nominations_open_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    nominations_close_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
    voting_open_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=2))
    voting_close_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    term_starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))
    term_ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=740))


def at_phase(selection_round, phase):
    """Move the round's windows so that now is in `phase` (the clock stays real)."""
    now = timezone.now()
    day = dt.timedelta(days=1)
    offsets = {
        # (nominations open, nominations close, voting open, voting close), from now
        "upcoming": (1, 2, 3, 4),
        "nominating": (-1, 1, 2, 3),
        "voting": (-3, -2, -1, 1),
        "closed": (-4, -3, -2, -1),
    }[phase]
    selection_round.nominations_open_at = now + offsets[0] * day
    selection_round.nominations_close_at = now + offsets[1] * day
    selection_round.voting_open_at = now + offsets[2] * day
    selection_round.voting_close_at = now + offsets[3] * day
    selection_round.save()
    return selection_round


class ForumMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForumMeeting

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"Forum meeting {n}")
    kind = MeetingKind.REGULAR
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    location = "Government House, room 2"
    agenda = "1. Progress\n2. Next steps"


def published_meeting(forum, starts_at, kind=MeetingKind.REGULAR, **fields):
    """A meeting whose minutes are published (as the service would leave it)."""
    return ForumMeetingFactory(
        forum=forum,
        starts_at=starts_at,
        kind=kind,
        status=MeetingStatus.MINUTES_PUBLISHED,
        minutes_text="Minutes.",
        minutes_published_at=starts_at + dt.timedelta(days=1),
        **fields,
    )


class ThreadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Thread

    forum = factory.SubFactory(ForumFactory)
    title = factory.Sequence(lambda n: f"Thread {n}")
    is_public = False


def co_chaired(forum, gov_user, cso_user, **rules):
    """Give `forum` co-chairs (a government one and a civil-society one, with accounts) and
    the governance `rules` given (Forum field values). Returns (gov seat, cso seat)."""
    from forums.choices import ChairMode

    forum.chair_mode = ChairMode.CO_CHAIRS
    for name, value in rules.items():
        setattr(forum, name, value)
    forum.save()
    gov = ForumSeatFactory(
        forum=forum, user=gov_user, name="Gina Government", sector=Sector.GOVERNMENT,
        role=SeatRole.CO_CHAIR,
    )  # fmt: skip
    cso = ForumSeatFactory(
        forum=forum, user=cso_user, name="Carla Civil", sector=Sector.CIVIL_SOCIETY,
        role=SeatRole.CO_CHAIR,
    )  # fmt: skip
    return gov, cso
