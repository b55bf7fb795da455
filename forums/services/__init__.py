"""Every write of the forum, the selection rounds, meetings and threads.

Each service takes the object first, then keyword-only `actor` and inputs; it checks the
OGP rules that apply, raises DomainError with a message people can act on, and records one
audit event. Views authorize; services enforce the process.

One module per sub-process; this package re-exports the services so callers keep writing
`from forums import services` and `services.meeting_schedule(...)`.
"""

from .decisions import (
    adoption_needs_forum_decision,
    decision_gate_problems,
    motion_decide,
    timeline_needs_forum_decision,
)
from .forum import SECTORS, forum_setup, forum_update, seat_add, seat_end
from .group_input import (
    draft_comment_hide,
    draft_comment_post,
    group_application_accept,
    group_application_decline,
    group_application_submit,
    group_draft_post,
)
from .groups import working_group_add_member, working_group_create
from .meetings import (
    action_item_add,
    decision_add,
    meeting_publish_minutes,
    meeting_record_attendance,
    meeting_schedule,
)
from .selection import (
    ballot_cast,
    default_elected,
    nomination_submit,
    round_cancel,
    round_open,
    round_publish_results,
    round_tally,
)
from .stewardship import (
    forum_set_governance,
    meeting_cosign_minutes,
    meeting_set_agenda,
    secretariat_member_add,
    secretariat_member_remove,
)
from .threads import thread_reply, thread_set_visibility, thread_start

__all__ = [
    "SECTORS",
    "action_item_add",
    "adoption_needs_forum_decision",
    "ballot_cast",
    "decision_add",
    "decision_gate_problems",
    "default_elected",
    "draft_comment_hide",
    "draft_comment_post",
    "forum_set_governance",
    "forum_setup",
    "forum_update",
    "group_application_accept",
    "group_application_decline",
    "group_application_submit",
    "group_draft_post",
    "meeting_cosign_minutes",
    "meeting_publish_minutes",
    "meeting_record_attendance",
    "meeting_schedule",
    "meeting_set_agenda",
    "motion_decide",
    "nomination_submit",
    "round_cancel",
    "round_open",
    "round_publish_results",
    "round_tally",
    "seat_add",
    "seat_end",
    "secretariat_member_add",
    "secretariat_member_remove",
    "thread_reply",
    "thread_set_visibility",
    "thread_start",
    "timeline_needs_forum_decision",
    "working_group_add_member",
    "working_group_create",
]
