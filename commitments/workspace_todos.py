"""The commitment lead's milestones due soon or overdue, on the workspace."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commitments.choices import MilestoneStatus
from commitments.models import Milestone
from ogp_portal.organisations.access import Access
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.workspace import Todo, TodoItem

DUE_SOON_DAYS = 30
SHOWN = 10


def milestone_todos(user: object, member: object, access: Access) -> list[Todo]:
    member_pk = getattr(member, "pk", None)
    if member_pk is None or not access.has_role(member_pk, Role.COMMITMENT_LEAD):
        return []
    today = timezone.localdate()
    due = (
        Milestone.objects.filter(
            commitment__lead_organisation_id__in=access.approved_organisation_ids,
            commitment__plan__member_id=member_pk,
            due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )
        .exclude(status=MilestoneStatus.COMPLETE)
        .select_related("commitment")
        .order_by("due_date", "pk")
    )
    shown = list(due[:SHOWN])
    count = len(shown) if len(shown) < SHOWN else due.count()
    items = [
        TodoItem(
            text=f"{m.commitment.ogp_id}: {m.description[:120]}",
            url=reverse("commitments:progress-create", args=[m.commitment.ogp_id]),
            note=(_("overdue since %(date)s") if m.due_date < today else _("due %(date)s"))
            % {"date": date_format(m.due_date)},
        )
        for m in shown
    ]
    return [
        Todo(
            role=_("Commitment lead"),
            label=_("Milestones due within 30 days or overdue"),
            url=items[0].url if items else reverse("commitments:commitment-list"),
            count=count,
            items=items,
        )
    ]
