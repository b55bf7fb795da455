"""Transition maps of the forum's stateful records (style guide §4)."""

from .choices import MeetingStatus, RoundStatus

MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.SCHEDULED: frozenset({MeetingStatus.HELD}),
    # Attendance may be corrected while the minutes are still to come.
    MeetingStatus.HELD: frozenset(
        {MeetingStatus.HELD, MeetingStatus.AWAITING_SIGNATURES, MeetingStatus.MINUTES_PUBLISHED}
    ),
    # Drafted minutes may be drafted again (the signatures start over) until both co-chairs
    # have signed; the last signature publishes them.
    MeetingStatus.AWAITING_SIGNATURES: frozenset(
        {MeetingStatus.AWAITING_SIGNATURES, MeetingStatus.MINUTES_PUBLISHED}
    ),
    MeetingStatus.MINUTES_PUBLISHED: frozenset(),
}

ROUND_TRANSITIONS: dict[str, frozenset[str]] = {
    RoundStatus.OPEN: frozenset({RoundStatus.RESULTS_PUBLISHED, RoundStatus.CANCELLED}),
    RoundStatus.RESULTS_PUBLISHED: frozenset(),
    RoundStatus.CANCELLED: frozenset(),
}


def can_transition(transitions: dict[str, frozenset[str]], current: str, new: str) -> bool:
    return new in transitions.get(current, frozenset())
