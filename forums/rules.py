"""Who may do what in the forum and the selection rounds (the repository: records/rules.py).

Object permissions take a Forum (or a Member for setting one up). Windows
(nominations open, voting open) are checked by the services, which refuse with a message: a
closed window is not a permission problem, and must never look like one (403).
"""

from typing import TYPE_CHECKING, Any

import rules
from django.utils import timezone

from ogp_portal.organisations.rules import (
    is_civil_servant,
    is_cso_representative,
    is_forum_member,
    is_secretariat,
    is_verified_user,
)
from ogp_portal.users.types import AnyUser

if TYPE_CHECKING:
    from .models import Forum

_SEATS_CACHE_ATTR = "_forum_seat_forum_ids"


def _member_of(obj: Any) -> Any:
    """The Member a forum object belongs to (Forum, Member, or anything with `.forum`)."""
    if obj is None:
        return None
    if hasattr(obj, "member"):
        return obj.member
    if hasattr(obj, "forum"):
        return obj.forum.member
    return obj


def current_seat_forum_ids(user: AnyUser) -> frozenset[int]:
    """Forums where `user` holds a current seat; one query per request, cached on the user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _SEATS_CACHE_ATTR, None)
    if cached is None:
        from .models import ForumSeat

        cached = frozenset(
            ForumSeat.objects.current(timezone.localdate())
            .filter(user=user)
            .values_list("forum_id", flat=True)
        )
        setattr(user, _SEATS_CACHE_ATTR, cached)
    return cached


def forget_seats(user: AnyUser) -> None:
    for attr in (_SEATS_CACHE_ATTR, _STEWARDS_CACHE_ATTR):
        if hasattr(user, attr):
            delattr(user, attr)


_STEWARDS_CACHE_ATTR = "_forum_steward_roles"


def _steward_roles(user: AnyUser, forum: "Forum") -> tuple[bool, bool]:
    """(steers the forum, co-chairs it) today; computed once per request and forum."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return (False, False)
    cache: dict[int, tuple[bool, bool]] | None = getattr(user, _STEWARDS_CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _STEWARDS_CACHE_ATTR, cache)
    if forum.pk not in cache:
        from .stewardship import co_chair_user_ids, steward_user_ids

        today = timezone.localdate()
        cache[forum.pk] = (
            user.pk in steward_user_ids(forum, today),
            user.pk in co_chair_user_ids(forum, today),
        )
    return cache[forum.pk]


@rules.predicate
def is_member_civil_servant(user: AnyUser, obj: Any) -> bool:
    return bool(is_civil_servant(user, _member_of(obj)))


@rules.predicate
def is_member_cso_representative(user: AnyUser, obj: Any) -> bool:
    return bool(is_cso_representative(user, _member_of(obj)))


@rules.predicate
def holds_current_seat(user: AnyUser, forum: "Forum | None") -> bool:
    return forum is not None and forum.pk in current_seat_forum_ids(user)


@rules.predicate
def has_forum_member_role(user: AnyUser, forum: "Forum | None") -> bool:
    return bool(is_forum_member(user, _member_of(forum)))


@rules.predicate
def is_forum_steward(user: AnyUser, forum: "Forum | None") -> bool:
    """The chair(s) in office or a member of the forum's technical secretariat."""
    return forum is not None and _steward_roles(user, forum)[0]


@rules.predicate
def is_forum_co_chair(user: AnyUser, forum: "Forum | None") -> bool:
    """A co-chair in office, where the forum's rules give it co-chairs."""
    return forum is not None and _steward_roles(user, forum)[1]


is_forum_participant = holds_current_seat | has_forum_member_role
# Who keeps the forum's record: the member's civil servants, and the forum's own stewards
# (chair or co-chairs, technical secretariat) whatever their sector.
keeps_forum_record = is_member_civil_servant | is_forum_steward

# Setting up and running the forum (object: Member for setup, Forum otherwise).
rules.add_perm("forums.setup_forum", is_secretariat)
rules.add_perm("forums.change_forum", is_secretariat | is_member_civil_servant)
rules.add_perm("forums.manage_working_groups", is_secretariat | is_member_civil_servant)

# Civil-society self-selection (object: Forum).
rules.add_perm("forums.open_selection_round", is_secretariat)
rules.add_perm("forums.publish_results", is_secretariat)
rules.add_perm("forums.nominate", is_member_cso_representative)
rules.add_perm("forums.vote", is_member_cso_representative)

# Meetings (object: Forum): the member's civil servants and the forum's stewards keep the
# record; where the rules ask for it, the co-chairs co-sign the minutes.
rules.add_perm("forums.schedule_meeting", keeps_forum_record)
rules.add_perm("forums.set_agenda", keeps_forum_record)
rules.add_perm("forums.record_attendance", keeps_forum_record)
rules.add_perm("forums.publish_minutes", keeps_forum_record)
rules.add_perm("forums.record_decisions", keeps_forum_record)
rules.add_perm("forums.cosign_minutes", is_forum_co_chair)

# The discussion space (object: Forum).
rules.add_perm("forums.post_in_forum", is_forum_participant)
rules.add_perm("forums.view_private_threads", is_forum_participant)
# Making a thread public (or private again) is for the government's own participants: they
# answer for what the forum publishes. Others cannot even see a private thread.
rules.add_perm("forums.change_thread_visibility", is_forum_participant & is_member_civil_servant)


# Working groups take input from registered people outside them (object: WorkingGroup).
@rules.predicate
def is_group_member(user: AnyUser, group: Any) -> bool:
    if group is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(group.members.filter(user=user).exists())


@rules.predicate
def is_group_convenor(user: AnyUser, group: Any) -> bool:
    if group is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(group.members.filter(user=user, is_convenor=True).exists())


runs_group = is_group_convenor | is_secretariat | is_member_civil_servant

rules.add_perm("forums.apply_to_group", is_verified_user & ~is_group_member)
rules.add_perm("forums.decide_group_applications", runs_group)
rules.add_perm("forums.post_group_draft", is_group_member | runs_group)
rules.add_perm("forums.comment_group_draft", is_verified_user)
rules.add_perm("forums.moderate_group_drafts", runs_group)
