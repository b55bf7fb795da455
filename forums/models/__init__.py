"""The multi-stakeholder forum (ogp-domain.md §1.2): seats, civil-society selection rounds,
meetings with minutes, working groups and the discussion space. The public repository of
process documents (§1.9) is records/.

Windows (nominations, voting) are computed from stored times, never flipped by a job; the
stored statuses record human decisions only (style guide §4).

The models live in one module per sub-process; this package re-exports them so that
`from forums.models import ForumMeeting` keeps working.
"""

from .decisions import Decision, DecisionQuerySet, SeatVote
from .forum import Forum, ForumSeat, ForumSeatQuerySet, SeatAllocation
from .group_input import DraftComment, GroupApplication, GroupDraft
from .groups import WorkingGroup, WorkingGroupMember
from .meetings import ActionItem, ForumMeeting, ForumMeetingQuerySet, MeetingAttendance
from .selection import Ballot, BallotChoice, Nomination, SelectionRound
from .stewardship import MinutesSignature, TechnicalSecretariatMember
from .threads import Post, Thread, ThreadQuerySet

__all__ = [
    "ActionItem",
    "Ballot",
    "BallotChoice",
    "Decision",
    "DecisionQuerySet",
    "DraftComment",
    "Forum",
    "ForumMeeting",
    "ForumMeetingQuerySet",
    "ForumSeat",
    "ForumSeatQuerySet",
    "GroupApplication",
    "GroupDraft",
    "MeetingAttendance",
    "MinutesSignature",
    "Nomination",
    "Post",
    "SeatAllocation",
    "SeatVote",
    "SelectionRound",
    "TechnicalSecretariatMember",
    "Thread",
    "ThreadQuerySet",
    "WorkingGroup",
    "WorkingGroupMember",
]
