"""The forum's to-dos on the workspace: minutes to publish (civil servants) and the
selection rounds civil society takes part in (CSO representatives)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forums.choices import MeetingStatus, RoundStatus
from forums.models import ForumMeeting, SelectionRound
from ogp_portal.organisations.access import Access
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.workspace import Todo, TodoItem

SHOWN = 10


def forum_todos(user: object, member: object, access: Access) -> list[Todo]:
    member_pk = getattr(member, "pk", None)
    if member_pk is None:
        return []
    todos: list[Todo] = []
    now = timezone.now()
    if access.has_role(member_pk, Role.CIVIL_SERVANT):
        held = (
            ForumMeeting.objects.filter(forum__member_id=member_pk, starts_at__lt=now)
            .exclude(status=MeetingStatus.MINUTES_PUBLISHED)
            .order_by("starts_at", "pk")
        )
        rows = list(held[:SHOWN])
        items = [
            TodoItem(
                text=m.title,
                url=reverse("forums:meeting-minutes", args=[m.pk]),
                note=_("held %(date)s") % {"date": date_format(m.starts_at)},
            )
            for m in rows
        ]
        todos.append(
            Todo(
                role=_("Civil servant"),
                label=_("Minutes to publish"),
                url=items[0].url if items else reverse("forums:forum-list"),
                count=len(rows) if len(rows) < SHOWN else held.count(),
                items=items,
            )
        )
    if member_pk in access.cso_member_ids:
        rounds = list(
            SelectionRound.objects.filter(
                forum__member_id=member_pk,
                status=RoundStatus.OPEN,
                nominations_open_at__lte=now,
                voting_close_at__gt=now,
            ).order_by("voting_close_at", "pk")[:SHOWN]
        )
        if rounds:
            todos.append(
                Todo(
                    role=_("Your inputs"),
                    label=_("Forum selection rounds running"),
                    url=rounds[0].get_absolute_url(),
                    items=[
                        TodoItem(text=r.title, url=r.get_absolute_url(), note=r.get_phase_display())
                        for r in rounds
                    ],
                    actionable=False,
                )
            )
    return todos
