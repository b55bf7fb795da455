"""What the forum puts on the public record, told to whoever keeps that record.

forums/ sits below records/ (shared/architecture.md) and may not import the repository, yet the
forum's rules of participation (MR 1.1), the results of a selection round and published minutes
belong in the member's repository, and the forum page shows the repository's latest entries.
So forums/ owns these two hooks and records/ registers into them in RecordsConfig.ready:

- `on_published(hook)`: `hook(publication)` runs inside the service's transaction each time the
  forum publishes something (`Publication.kind` says what), so a failing hook undoes the write;
- `on_forum_page(hook)`: `hook(request, forum)` returns extra context for the forum page;
- `on_member_links(hook)`: `hook(member)` returns (label, address) pairs the forum's section
  navigation links to after its own sections (the repository, the compliance panel), so that
  no forum template names a higher app's URLs.

With nothing registered the forum works on its own: nothing is recorded, the page shows no
repository entries and the navigation only the forum's sections.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ogp_portal.organisations.models import Member
    from plans.models import ActionPlan

    from .models import Forum, ForumMeeting

PublicationKind = Literal["forum_rules", "round_results", "meeting_minutes"]


@dataclass(frozen=True)
class Publication:
    """One thing the forum made public. `forum_rules` is sent again whenever the forum's rules
    change (the record keeper updates its entry); the others are sent once."""

    kind: PublicationKind
    forum: "Forum"
    title: str
    url: str
    actor: Any
    published_at: dt.datetime | None = None
    plan: "ActionPlan | None" = None
    meeting: "ForumMeeting | None" = None


_PUBLISHED_HOOKS: list[Callable[[Publication], object]] = []
_FORUM_PAGE_HOOKS: list[Callable[["HttpRequest", "Forum"], dict]] = []
_MEMBER_LINK_HOOKS: list[Callable[["Member"], list[tuple[str, str]]]] = []


def on_published(hook: Callable[[Publication], object]) -> None:
    """Register `hook` to hear of every publication (once per hook, however often called).
    Whatever it returns (records keeps the document it wrote) is ignored."""
    if hook not in _PUBLISHED_HOOKS:
        _PUBLISHED_HOOKS.append(hook)


def on_forum_page(hook: Callable[["HttpRequest", "Forum"], dict]) -> None:
    """Register `hook` to add context to the forum page (once per hook)."""
    if hook not in _FORUM_PAGE_HOOKS:
        _FORUM_PAGE_HOOKS.append(hook)


def on_member_links(hook: Callable[["Member"], list[tuple[str, str]]]) -> None:
    """Register `hook` to add links to a member's forum navigation (once per hook)."""
    if hook not in _MEMBER_LINK_HOOKS:
        _MEMBER_LINK_HOOKS.append(hook)


def published(publication: Publication) -> None:
    """Called by the forum's services once the publication is written."""
    for hook in _PUBLISHED_HOOKS:
        hook(publication)


def forum_page_context(request: "HttpRequest", forum: "Forum") -> dict:
    """The context every registered hook adds to the forum page."""
    context: dict = {}
    for hook in _FORUM_PAGE_HOOKS:
        context |= hook(request, forum)
    return context


def member_links(member: "Member") -> list[tuple[str, str]]:
    """The (label, address) pairs every registered hook adds to the member's navigation."""
    return [link for hook in _MEMBER_LINK_HOOKS for link in hook(member)]
