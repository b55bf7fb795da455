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

from ogp_portal.core.reminders import Due, lazy_format, start_of_day, users_with_role
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
    # computed per row in the member's zone below. Only the fields the reminder needs: a
    # scan may meet many thousands of milestones, most already reminded, so each row must
    # stay cheap; their commitments (with plan and member) come in one more query.
    milestones = list(
        Milestone.objects.filter(
            due_date__gte=today - dt.timedelta(days=days + 2),
            due_date__lte=today + dt.timedelta(days=days + 1),
            commitment__plan__status__in=RUNNING_PLANS,
        )
        .exclude(status=MilestoneStatus.COMPLETE)
        .exclude(commitment__status__in=(CommitmentStatus.COMPLETE, CommitmentStatus.WITHDRAWN))
        .only("pk", "due_date", "description", "commitment_id")
        .order_by("due_date", "pk")
    )
    if not milestones:
        return
    commitments = {
        c.pk: c
        for c in Commitment.objects.filter(
            pk__in={m.commitment_id for m in milestones}
        ).select_related("plan__member")
    }
    urls = {pk: c.get_absolute_url() for pk, c in commitments.items()}
    recipients = _recipients({c.plan.member_id for c in commitments.values()})
    for milestone in milestones:
        commitment = commitments[milestone.commitment_id]
        member = commitment.plan.member
        deadline = start_of_day(milestone.due_date, member.time_zone)
        over_at = deadline + dt.timedelta(days=1)
        if deadline - window <= now < deadline:
            kind, subject, template = (
                "milestone.due",
                lazy_format(
                    _("Milestone of %(commitment)s due on %(date)s"),
                    {"commitment": commitment.ogp_id, "date": milestone.due_date},
                ),
                "commitments/emails/milestone_due.txt",
            )
        elif over_at <= now < over_at + window:
            kind, subject, template = (
                "milestone.overdue",
                lazy_format(
                    _("Milestone of %(commitment)s is overdue (due %(date)s)"),
                    {"commitment": commitment.ogp_id, "date": milestone.due_date},
                ),
                "commitments/emails/milestone_overdue.txt",
            )
        else:
            continue
        yield Due(
            kind=kind,
            target=milestone,
            deadline=deadline,
            recipients=recipients.get(member.pk, []),
            subject=subject,
            template=template,
            context={"milestone": milestone, "commitment": commitment},
            url=urls[commitment.pk],
        )


def register() -> None:
    from ogp_portal.core.notifications import register_kind
    from ogp_portal.core.reminders import register_scanner

    register_kind(
        "milestone.due",
        _("A milestone is due soon"),
        _("Sent to commitment leads some days before a milestone's completion date."),
    )
    register_kind(
        "milestone.overdue",
        _("A milestone is overdue"),
        _("Sent to commitment leads when a milestone's completion date has passed."),
    )
    register_scanner(milestone_scanner)
