"""Commitment reminders: a milestone due soon, and a milestone overdue.

Recipients: the member's commitment leads. The role is held per member, not per commitment
(RoleGrant has no commitment), so every lead of the member hears about its milestones; a
member with no commitment lead yet falls back to its civil servants, so the reminder still
reaches someone who can act.
"""

import datetime as dt
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ogp_portal.core.reminders import (
    Due,
    lazy_format,
    sent_reminders,
    start_of_day,
    users_with_role,
)
from ogp_portal.organisations.choices import Role
from plans.choices import PlanStatus

from .choices import CommitmentStatus, MilestoneStatus
from .models import Commitment, Milestone

# Plans whose milestones are being delivered.
RUNNING_PLANS = (PlanStatus.ADOPTED, PlanStatus.IMPLEMENTATION)


def _recipients(member_ids: set[int]) -> dict[int, list]:
    leads = users_with_role(Role.COMMITMENT_LEAD, member_ids)
    missing = member_ids - leads.keys()
    if missing:
        leads |= users_with_role(Role.CIVIL_SERVANT, missing)
    return leads


def milestone_scanner(now: dt.datetime) -> Iterator[Due]:
    """A milestone not complete, of a running plan: "due" from `milestone_due_days` before
    its due date (00:00 member time) until that moment; "overdue" once the due date is over
    (00:00 the day after), for the same number of days (a catch-up window that keeps the
    query bounded; once per due date, so moving the date re-arms both)."""
    days = settings.OGP_REMINDERS["milestone_due_days"]
    window = dt.timedelta(days=days)
    today = now.date()
    # A day of slack on each side covers every member's time zone; the exact edge is
    # computed per row in the member's zone below. A scan may meet a hundred thousand
    # milestones, nearly all reminded already: rows come as plain tuples, the reminders
    # already sent in one more query, and only the rows still to send become objects.
    rows = list(
        Milestone.objects.filter(
            due_date__gte=today - dt.timedelta(days=days + 2),
            due_date__lte=today + dt.timedelta(days=days + 1),
            commitment__plan__status__in=RUNNING_PLANS,
        )
        .exclude(status=MilestoneStatus.COMPLETE)
        .exclude(commitment__status__in=(CommitmentStatus.COMPLETE, CommitmentStatus.WITHDRAWN))
        .order_by("due_date", "pk")
        .values_list(
            "pk",
            "due_date",
            "description",
            "commitment_id",
            "commitment__plan__member_id",
            "commitment__plan__member__time_zone",
        )
    )
    if not rows:
        return
    recipients = _recipients({row[4] for row in rows})
    recipient_ids = {member: {user.pk for user in users} for member, users in recipients.items()}
    sent = sent_reminders(
        ("milestone.due", "milestone.overdue"),
        Milestone,
        start_of_day(rows[0][1] - dt.timedelta(days=2)),  # slack for every time zone
        start_of_day(rows[-1][1] + dt.timedelta(days=2)),
    )
    deadlines: dict[tuple[dt.date, str], dt.datetime] = {}
    todo = []
    for pk, due_date, description, commitment_id, member_id, time_zone in rows:
        if (due_date, time_zone) not in deadlines:
            deadlines[due_date, time_zone] = start_of_day(due_date, time_zone)
        deadline = deadlines[due_date, time_zone]
        if deadline - window <= now < deadline:
            kind = "milestone.due"
        elif deadline + dt.timedelta(days=1) <= now < deadline + dt.timedelta(days=1) + window:
            kind = "milestone.overdue"
        else:
            continue
        people = recipient_ids.get(member_id)
        if not people or people <= sent.get((kind, pk, deadline), set()):
            continue  # nobody to tell, or everyone told already
        milestone = Milestone(
            pk=pk, due_date=due_date, description=description, commitment_id=commitment_id
        )
        todo.append((kind, milestone, deadline, member_id))
    if not todo:
        return
    commitments = {
        c.pk: c
        for c in Commitment.objects.filter(
            pk__in={milestone.commitment_id for _k, milestone, _d, _m in todo}
        ).select_related("plan__member")
    }
    urls = {pk: c.get_absolute_url() for pk, c in commitments.items()}
    for kind, milestone, deadline, member_id in todo:
        commitment = commitments[milestone.commitment_id]
        if kind == "milestone.due":
            message, template = (
                _("Milestone of %(commitment)s due on %(date)s"),
                "commitments/emails/milestone_due.txt",
            )
        else:
            message, template = (
                _("Milestone of %(commitment)s is overdue (due %(date)s)"),
                "commitments/emails/milestone_overdue.txt",
            )
        yield Due(
            kind=kind,
            target=milestone,
            deadline=deadline,
            recipients=recipients[member_id],
            subject=lazy_format(
                message, {"commitment": commitment.ogp_id, "date": milestone.due_date}
            ),
            template=template,
            context={"milestone": milestone, "commitment": commitment},
            url=urls[commitment.pk],
        )


def register() -> None:
    from ogp_portal.core.notifications import AUDIENCE_STAFF, register_kind
    from ogp_portal.core.reminders import register_scanner

    register_kind(
        "milestone.due",
        _("A milestone is due soon"),
        _("Sent to commitment leads some days before a milestone's completion date."),
        audience=AUDIENCE_STAFF,
    )
    register_kind(
        "milestone.overdue",
        _("A milestone is overdue"),
        _("Sent to commitment leads when a milestone's completion date has passed."),
        audience=AUDIENCE_STAFF,
    )
    register_scanner(milestone_scanner)
