"""Plan reminders: a running plan ends soon and no successor plan has been started.

Recipients: the member's civil servants (they start the next plan) and the portal
secretariat (OGP's no-gap rule: a member without a new plan drifts towards procedural
review, which the secretariat follows for every member).
"""

import datetime as dt
from collections.abc import Iterator

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

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
from .models import ActionPlan

RUNNING = (PlanStatus.ADOPTED, PlanStatus.IMPLEMENTATION)


def plan_ending_scanner(now: dt.datetime) -> Iterator[Due]:
    """From `plan_ending_months` calendar months before the plan's last day (00:00 member
    time) until that day is over, while no later plan of the member exists (any status but
    archived counts as a successor: planning, drafting or further on)."""
    months = settings.OGP_REMINDERS["plan_ending_months"]
    today = now.date()
    successor = ActionPlan.objects.filter(
        member=OuterRef("member"), sequence_no__gt=OuterRef("sequence_no")
    ).exclude(status=PlanStatus.ARCHIVED)
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
    register_scanner(plan_ending_scanner)
