"""The to-dos of a person's workspace for one member, and their count in the header.

organisations/ owns the registry; each higher app registers a provider in its
AppConfig.ready (plans: blockers, consultations: inputs awaiting a response, drafts and
flags, commitments: milestones due, forums: minutes and selection rounds). A provider reads
the person's access summary and returns nothing for roles it does not serve, so a page costs
only the queries of the roles the person holds.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache

from .access import Access, access_for

# How long the header's count is kept per person and member; the workspace page itself is
# always computed afresh and refreshes the kept count.
COUNT_SECONDS = 60


@dataclass(frozen=True)
class TodoItem:
    text: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class Todo:
    """One line of the workspace: what to do, how many, and where it is done.

    `count` is the number of things waiting for the person (0 for lists kept for reference,
    such as "my inputs and their decisions"); `actionable` ones add to the header badge.
    """

    role: str
    label: str
    url: str
    count: int = 0
    items: Sequence[TodoItem] = field(default_factory=tuple)
    actionable: bool = True


Provider = Callable[[object, object, Access], list[Todo]]
_PROVIDERS: list[Provider] = []


def register_todo_provider(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def _count_key(user_pk: int, member_pk: int) -> str:
    return f"workspace-todos:{user_pk}:{member_pk}"


def todos_for(user, member) -> list[Todo]:
    """Every to-do of `user` for `member`, in registration order; refreshes the header count."""
    access = access_for(user)
    todos: list[Todo] = []
    for provider in _PROVIDERS:
        todos.extend(provider(user, member, access))
    cache.set(_count_key(user.pk, getattr(member, "pk", 0)), _total(todos), COUNT_SECONDS)
    return todos


def _total(todos: list[Todo]) -> int:
    return sum(todo.count for todo in todos if todo.actionable)


def todo_count(user, member) -> int:
    """The header badge, read from the cache only, so no page pays for it in queries: the
    count is kept when the person signs in and each time the workspace is computed, for
    COUNT_SECONDS; when it is not kept, no badge shows."""
    kept = cache.get(_count_key(user.pk, getattr(member, "pk", 0)))
    return int(kept) if kept is not None else 0


def refresh_counts(sender: object, request: object, user: Any, **kwargs: Any) -> None:
    """On sign-in (user_logged_in): keep the counts of every workspace of the person."""
    from .models import Member

    access = access_for(user)
    for member in Member.objects.filter(pk__in=access.workspace_member_ids):
        todos_for(user, member)
    if access.is_secretariat:
        todos_for(user, None)


def limited(
    queryset: Any, make: Callable[[Any], TodoItem], shown: int = 10
) -> tuple[int, list[TodoItem]]:
    """Up to `shown` items and the full count: a second query only when there are more."""
    rows = list(queryset[:shown])
    count = len(rows) if len(rows) < shown else queryset.count()
    return count, [make(row) for row in rows]


def group_by_role(todos: list[Todo]) -> list[tuple[str, list[Todo]]]:
    groups: dict[str, list[Todo]] = {}
    for todo in todos:
        groups.setdefault(todo.role, []).append(todo)
    return list(groups.items())
