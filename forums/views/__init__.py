"""The forum's pages: public pages (forum, meetings, minutes, public threads) and the
screens of the people who run it, over the same models.

Views parse, authorize (`require`, through the `rules` permissions), call one service
(`run_service`) and respond; a refused action re-renders its page with the reason and what
was typed. Every page of a forum runs in the member's time zone (see `base`).

One module per sub-process; this package re-exports the views for `forums/urls.py`.
"""

from .decisions import decision_list, meeting_agenda, meeting_cosign, meeting_motion
from .forum import forum_create, forum_detail, forum_list, forum_update, seat_create
from .group_input import (
    application_decide,
    draft_comment,
    draft_comment_hide,
    draft_detail,
    group_apply,
    group_draft_create,
)
from .groups import group_create, group_detail, group_member_add
from .meetings import (
    meeting_action_item_add,
    meeting_attendance,
    meeting_create,
    meeting_decision_add,
    meeting_detail,
    meeting_list,
    meeting_minutes,
    meeting_minutes_file,
)
from .selection import round_create, round_detail, round_nominate, round_results, round_vote
from .stewardship import (
    forum_governance,
    secretariat_member_create,
    secretariat_member_remove,
)
from .threads import thread_create, thread_detail, thread_list, thread_reply, thread_visibility

__all__ = [
    "application_decide",
    "decision_list",
    "draft_comment",
    "draft_comment_hide",
    "draft_detail",
    "forum_create",
    "forum_detail",
    "forum_governance",
    "forum_list",
    "forum_update",
    "group_apply",
    "group_create",
    "group_detail",
    "group_draft_create",
    "group_member_add",
    "meeting_action_item_add",
    "meeting_agenda",
    "meeting_attendance",
    "meeting_cosign",
    "meeting_create",
    "meeting_decision_add",
    "meeting_detail",
    "meeting_list",
    "meeting_minutes",
    "meeting_minutes_file",
    "meeting_motion",
    "round_create",
    "round_detail",
    "round_nominate",
    "round_results",
    "round_vote",
    "seat_create",
    "secretariat_member_create",
    "secretariat_member_remove",
    "thread_create",
    "thread_detail",
    "thread_list",
    "thread_reply",
    "thread_visibility",
]
