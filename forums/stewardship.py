"""Who steers a forum, as its rules of participation say (issue #16): its chair (the
rotating chair in office, or the seat marked chair) or its co-chairs (one per sector), and
the named members of its technical secretariat. These people, from either sector, keep the
forum's record with the member's civil servants."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from .choices import SeatRole
from .models import Forum, ForumSeat, TechnicalSecretariatMember


def co_chair_seats(forum: Forum, day: dt.date | None = None) -> QuerySet[ForumSeat]:
    """The seats chairing together on `day` when the forum has co-chairs (else none)."""
    if not forum.has_co_chairs:
        return ForumSeat.objects.none()
    return forum.seats.current(day or timezone.localdate()).filter(
        role__in=[SeatRole.CHAIR, SeatRole.CO_CHAIR]
    )


def co_chair_user_ids(forum: Forum, day: dt.date | None = None) -> set[int]:
    """The accounts of the co-chairs in office on `day` (those who co-sign minutes)."""
    return set(
        co_chair_seats(forum, day).filter(user__isnull=False).values_list("user_id", flat=True)
    )


def chair_user_ids(forum: Forum, day: dt.date | None = None) -> set[int]:
    """The accounts of whoever chairs on `day`: the co-chairs, or the one chair."""
    day = day or timezone.localdate()
    if forum.has_co_chairs:
        return co_chair_user_ids(forum, day)
    chair = forum.chair_on(day)
    return {chair.user_id} if chair is not None and chair.user_id else set()


def steward_user_ids(forum: Forum, day: dt.date | None = None) -> set[int]:
    """The chair(s) in office and the technical secretariat."""
    secretariat = TechnicalSecretariatMember.objects.filter(forum=forum).values_list(
        "user_id", flat=True
    )
    return chair_user_ids(forum, day) | set(secretariat)
