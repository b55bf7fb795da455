"""Plan reminders: a running plan ends soon and no successor plan has been started.

Recipients: the member's civil servants (they start the next plan) and the portal
secretariat (OGP's no-gap rule: a member without a new plan drifts towards procedural
review, which the secretariat follows for every member).
"""

import datetime as dt
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from ogp_portal.core.ogp_rules import rule
from ogp_portal.core.reminders import (
    Due,
    lazy_format,
    secretariat_users,
    start_of_day,
    unique_users,
    users_with_role,
)
from ogp_portal.organisations.choices import Role

from .choices import PlanStatus
from .cycle import DELIVERED_STATUSES
from .models import ActionPlan

RUNNING = (PlanStatus.ADOPTED, PlanStatus.IMPLEMENTATION)


def plan_ending_scanner(now: dt.datetime) -> Iterator[Due]:
    """From `plan_ending_months` calendar months before the plan's last day (00:00 member
    time) until that day is over, while no later plan of the member is in preparation (its
    notice out: a successor still in planning, an internal draft, does not count, nor an
    archived one)."""
    months = settings.OGP_REMINDERS["plan_ending_months"]
    today = now.date()
    successor = ActionPlan.objects.filter(
        member=OuterRef("member"), sequence_no__gt=OuterRef("sequence_no")
    ).exclude(status__in=(PlanStatus.ARCHIVED, PlanStatus.PLANNING))
    plans = list(
        ActionPlan.objects.filter(
            status__in=RUNNING,
            period_end__gte=today - dt.timedelta(days=2),
            period_end__lte=today + relativedelta(months=months, days=2),
        )
        .filter(~Exists(successor))
        .select_related("member")
        .order_by("period_end", "pk")
    )
    if not plans:
        return
    civil_servants = users_with_role(Role.CIVIL_SERVANT, {p.member_id for p in plans})
    secretariat = secretariat_users()
    for plan in plans:
        deadline = start_of_day(plan.period_end, plan.member.time_zone)
        if not deadline - relativedelta(months=months) <= now < deadline + dt.timedelta(days=1):
            continue
        yield Due(
            kind="plan.ending",
            target=plan,
            deadline=deadline,
            recipients=unique_users(civil_servants.get(plan.member_id, []), secretariat),
            subject=lazy_format(
                _("%(plan)s ends on %(date)s and no next plan is started"),
                {"plan": plan.title, "date": plan.period_end},
            ),
            template="plans/emails/plan_ending.txt",
            context={"plan": plan, "member": plan.member, "months": months},
            url=plan.get_absolute_url(),
        )


# How long after its deadline a missed procedural-review deadline is still picked up (a scan
# that did not run that day catches up); the reminder log sends it once whatever the scans.
PROCEDURAL_REVIEW_CATCH_UP = dt.timedelta(days=31)


def procedural_review_scanner(now: dt.datetime) -> Iterator[Due]:
    """The red state: more than `procedural_review_months` (the ended plan's own rule set)
    after a plan ended, no later plan of the member is adopted. One e-mail per plan (the
    deadline is fixed, so the reminder log sends it once), during a catch-up window that
    keeps the scan bounded."""
    today = now.date()
    delivered_later = ActionPlan.objects.filter(
        member=OuterRef("member"),
        period_start__gt=OuterRef("period_end"),
        status__in=DELIVERED_STATUSES,
    )
    windows = Q()
    for version in settings.OGP_RULES:
        months = rule("procedural_review_months", version)
        # Ends whose deadline (end + months, then the next day at 00:00) falls in the window.
        latest_end = today - relativedelta(months=months)
        earliest_end = (today - PROCEDURAL_REVIEW_CATCH_UP) - relativedelta(months=months, days=2)
        windows |= Q(standards_version=version, period_end__range=(earliest_end, latest_end))
    plans = list(
        ActionPlan.objects.filter(windows)
        .exclude(status=PlanStatus.PLANNING)
        .filter(~Exists(delivered_later))
        .select_related("member")
        .order_by("period_end", "pk")
    )
    due = []
    for plan in plans:
        months = rule("procedural_review_months", plan.standards_version)
        deadline_day = plan.period_end + relativedelta(months=months) + dt.timedelta(days=1)
        deadline = start_of_day(deadline_day, plan.member.time_zone)
        if deadline <= now < deadline + PROCEDURAL_REVIEW_CATCH_UP:
            due.append((plan, deadline, months))
    if not due:
        return
    civil_servants = users_with_role(Role.CIVIL_SERVANT, {p.member_id for p, _d, _m in due})
    secretariat = secretariat_users()
    for plan, deadline, months in due:
        yield Due(
            kind="plan.procedural_review",
            target=plan,
            deadline=deadline,
            recipients=unique_users(civil_servants.get(plan.member_id, []), secretariat),
            subject=lazy_format(
                _("No new plan %(months)s months after %(plan)s ended: contrary to process"),
                {"plan": plan.title, "months": months},
            ),
            template="plans/emails/procedural_review.txt",
            context={"plan": plan, "member": plan.member, "months": months},
            url=plan.get_absolute_url(),
        )


def register() -> None:
    from ogp_portal.core.notifications import AUDIENCE_STAFF, register_kind
    from ogp_portal.core.reminders import register_scanner

    register_kind(
        "plan.ending",
        _("An action plan ends soon without a successor"),
        _(
            "Sent to the member's civil servants and the secretariat in the months before "
            "a plan ends while no next plan has been started."
        ),
        audience=AUDIENCE_STAFF,
    )
    register_kind(
        "plan.procedural_review",
        _("No new plan a year after the last one ended"),
        _(
            "Sent once to the member's civil servants and the secretariat when no next plan "
            "is adopted within the OGP deadline after a plan ended (acting contrary to "
            "process, a step towards procedural review)."
        ),
        audience=AUDIENCE_STAFF,
    )
    register_scanner(plan_ending_scanner)
    register_scanner(procedural_review_scanner)
