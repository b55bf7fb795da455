"""Consultations' to-dos on the workspace: inputs awaiting a response and consultations to
announce (civil servants), flagged comments (moderators and the secretariat), and the
person's own drafts, inputs and the open calls (everyone with a workspace)."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from consultations.choices import ModerationState, ProposalStatus
from consultations.models import Comment, Consultation, Proposal
from ogp_portal.organisations.access import Access
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.workspace import Todo, TodoItem, limited

SHOWN = 10


def _flag_todo(user: object, member_pk: int | None, role: str) -> Todo:
    flagged = Comment.objects.filter(
        moderation_state=ModerationState.PUBLISHED,
        deleted_at__isnull=True,
        flags__isnull=False,
        flags__resolved_at__isnull=True,
    )
    if member_pk is not None:
        flagged = flagged.filter(consultation__plan__member_id=member_pk)
    per_window = list(
        flagged.values("consultation_id", "consultation__title")
        .annotate(comments=Count("pk", distinct=True))
        .order_by("consultation_id")[:SHOWN]
    )
    items = [
        TodoItem(
            text=row["consultation__title"],
            url=reverse("consultations:moderation-queue", args=[row["consultation_id"]]),
            note=_("%(count)s flagged") % {"count": row["comments"]},
        )
        for row in per_window
    ]
    return Todo(
        role=role,
        label=_("Flagged comments in the moderation queue"),
        url=items[0].url if items else reverse("consultations:consultation-list"),
        count=sum(row["comments"] for row in per_window),
        items=items,
    )


def consultation_todos(user: object, member: object, access: Access) -> list[Todo]:
    member_pk = getattr(member, "pk", None)
    todos: list[Todo] = []
    if member_pk is None:
        if access.is_secretariat:
            todos.append(_flag_todo(user, None, _("Secretariat")))
        return todos
    if access.has_role(member_pk, Role.CIVIL_SERVANT):
        role = _("Civil servant")
        awaiting = (
            Proposal.objects.published()
            .filter(consultation__plan__member_id=member_pk, response__published_at__isnull=True)
            .order_by("submitted_at", "pk")
        )
        count, items = limited(
            awaiting,
            lambda p: TodoItem(
                text=f"P-{p.pk} {p.title}",
                url=reverse("consultations:proposal-review", args=[p.pk]),
            ),
        )
        todos.append(
            Todo(
                role=role,
                label=_("Inputs awaiting a published response"),
                url=items[0].url if items else reverse("consultations:consultation-list"),
                count=count,
                items=items,
            )
        )
        unannounced = Consultation.objects.filter(
            plan__member_id=member_pk, notice_published_at__isnull=True
        ).order_by("opens_at", "pk")
        count, items = limited(
            unannounced,
            lambda c: TodoItem(
                text=c.title,
                url=c.get_absolute_url(),
                note=_("opens %(date)s") % {"date": date_format(c.opens_at)},
            ),
        )
        todos.append(
            Todo(
                role=role,
                label=_("Consultations to schedule: notice not published yet"),
                url=items[0].url if items else reverse("consultations:consultation-list"),
                count=count,
                items=items,
            )
        )
    if access.has_role(member_pk, Role.MODERATOR):
        todos.append(_flag_todo(user, member_pk, _("Moderator")))
    todos.extend(_own_todos(user, member_pk))
    return todos


def _own_todos(user: object, member_pk: int) -> list[Todo]:
    role = _("Your inputs")
    user_pk: int = getattr(user, "pk", 0)
    mine = Proposal.objects.filter(author_id=user_pk, consultation__plan__member_id=member_pk)
    drafts = mine.filter(status=ProposalStatus.DRAFT).order_by("-updated_at", "pk")
    count, draft_items = limited(
        drafts,
        lambda p: TodoItem(
            text=p.title,
            url=reverse("consultations:proposal-edit", args=[p.pk]),
            note=_("draft, not submitted"),
        ),
    )
    todos = [
        Todo(
            role=role,
            label=_("Your drafts to finish and submit"),
            url=draft_items[0].url if draft_items else reverse("consultations:consultation-list"),
            count=count,
            items=draft_items,
        )
    ]
    submitted = list(
        mine.exclude(status=ProposalStatus.DRAFT)
        .select_related("response")
        .order_by("-submitted_at", "-pk")[:SHOWN]
    )
    if submitted:
        todos.append(
            Todo(
                role=role,
                label=_("Your inputs and their decisions"),
                url=submitted[0].get_absolute_url(),
                items=[
                    TodoItem(text=p.title, url=p.get_absolute_url(), note=p.get_status_display())
                    for p in submitted
                ],
                actionable=False,
            )
        )
    now = timezone.now()
    open_calls = list(
        Consultation.objects.visible_to(user)
        .filter(plan__member_id=member_pk)
        .open_at(now)
        .order_by("closes_at", "pk")[:SHOWN]
    )
    todos.append(
        Todo(
            role=role,
            label=_("Open calls for input"),
            url=open_calls[0].get_absolute_url()
            if open_calls
            else reverse("consultations:consultation-list"),
            items=[
                TodoItem(
                    text=c.title,
                    url=c.get_absolute_url(),
                    note=_("closes %(date)s") % {"date": date_format(c.closes_at)},
                )
                for c in open_calls
            ],
            actionable=False,
        )
    )
    return todos
