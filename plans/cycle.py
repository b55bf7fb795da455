"""OGP cycle rules between a member's consecutive plans, and the flags the portal raises.

Consecutive plans neither overlap nor leave a gap: a plan starts the day after the previous
one ends. National plans last 2 or 4 years (rule set), local plans any length.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.core.ogp_rules import rule
from ogp_portal.organisations.choices import MemberType

from .choices import PlanStatus


def plan_length_years(start: dt.date, end: dt.date) -> int | None:
    """Whole years if the period is exactly N years (start to the day before the anniversary)."""
    for years in range(1, 11):
        if start + relativedelta(years=years) - dt.timedelta(days=1) == end:
            return years
    return None


def cycle_errors(member, start, end, standards_version: str, exclude_pk=None) -> dict[str, str]:
    """Field errors for a plan of `member` running from `start` to `end` (empty = fine)."""
    from .models import ActionPlan

    errors: dict[str, str] = {}
    if not (start and end):
        return errors
    if end <= start:
        return {"period_end": _("The period must end after it starts.")}
    if member.member_type == MemberType.NATIONAL:
        allowed = rule("national_plan_years", standards_version)
        if plan_length_years(start, end) not in allowed:
            example = start + relativedelta(years=allowed[0]) - dt.timedelta(days=1)
            if len(allowed) == 1:
                message = _(
                    "A national plan lasts %(years)s years: it ends the day before the "
                    "anniversary of its start (for example %(example)s)."
                ) % {"years": allowed[0], "example": example}
            else:
                # Whole sentences, so translators can order the alternatives their way.
                message = _(
                    "A national plan lasts %(some)s or %(last)s years: it ends the day before "
                    "the anniversary of its start (for example %(example)s)."
                ) % {
                    "some": ", ".join(str(y) for y in allowed[:-1]),
                    "last": allowed[-1],
                    "example": example,
                }
            errors["period_end"] = message
    others = ActionPlan.objects.filter(member=member).exclude(pk=exclude_pk)
    for other in others.filter(period_start__lte=end, period_end__gte=start):
        errors["period_start"] = _(
            "These dates overlap “%(plan)s” (%(start)s – %(end)s). Plans of one member "
            "follow each other without overlapping."
        ) % {"plan": other, "start": other.period_start, "end": other.period_end}
        return errors
    previous = others.filter(period_end__lt=start).order_by("-period_end").first()
    if previous and previous.period_end + dt.timedelta(days=1) != start:
        errors["period_start"] = _(
            "“%(plan)s” ends on %(end)s, so this plan must start on %(next)s: plans follow "
            "each other without a gap."
        ) % {"plan": previous, "end": previous.period_end,
             "next": previous.period_end + dt.timedelta(days=1)}  # fmt: skip
    following = others.filter(period_start__gt=end).order_by("period_start").first()
    if following and end + dt.timedelta(days=1) != following.period_start:
        errors["period_end"] = _(
            "“%(plan)s” starts on %(start)s, so this plan must end on %(last)s: plans follow "
            "each other without a gap."
        ) % {"plan": following, "start": following.period_start,
             "last": following.period_start - dt.timedelta(days=1)}  # fmt: skip
    return errors


@dataclass(frozen=True)
class CycleFlag:
    level: str  # "warning" or "danger"
    message: str


# A plan counts as delivered once adopted: the procedural-review clock asks for that.
DELIVERED_STATUSES = (
    PlanStatus.ADOPTED,
    PlanStatus.IMPLEMENTATION,
    PlanStatus.ENDED,
    PlanStatus.ARCHIVED,
)


def cycle_flags(member, plans: list, today: dt.date) -> list[CycleFlag]:
    """Flags for `member` given all its plans (passed in, so lists can prefetch them).

    Each plan is judged under its own rule set. A successor still in planning (an internal
    draft, nothing public yet) hides nothing: the no-gap warning stays until a successor's
    notice is out, and the procedural-review clock runs until a successor is adopted."""
    counted = [p for p in plans if p.status != PlanStatus.PLANNING]
    flags = []

    def later(plan, statuses) -> bool:
        return any(p.period_start > plan.period_end and p.status in statuses for p in plans)

    preparing = [s for s in PlanStatus.values if s not in (PlanStatus.PLANNING,
                                                            PlanStatus.ARCHIVED)]  # fmt: skip
    ended = [p for p in counted if p.period_end < today]
    if ended:
        last = max(ended, key=lambda p: p.period_end)
        months = rule("procedural_review_months", last.standards_version)
        deadline = last.period_end + relativedelta(months=months)
        if not later(last, DELIVERED_STATUSES):
            if today <= deadline:
                flags.append(
                    CycleFlag(
                        "warning",
                        _(
                            "“%(plan)s” ended on %(end)s and there is no new plan yet: "
                            "publish one before %(deadline)s to stay within the OGP rules."
                        )
                        % {"plan": last, "end": last.period_end, "deadline": deadline},
                    )
                )
            else:
                flags.append(
                    CycleFlag(
                        "danger",
                        _(
                            "No new plan more than %(months)s months after “%(plan)s” ended "
                            "on %(end)s: OGP counts this as acting contrary to process."
                        )
                        % {"months": months, "plan": last, "end": last.period_end},
                    )
                )
    current = [p for p in counted if p.period_start <= today <= p.period_end]
    if current:
        plan = current[0]
        months = rule("successor_warning_months", plan.standards_version)
        if not later(plan, preparing) and today >= plan.period_end - relativedelta(months=months):
            flags.append(
                CycleFlag(
                    "warning",
                    _(
                        "“%(plan)s” ends on %(end)s and no next plan is in preparation: start "
                        "planning the next one now so there is no gap."
                    )
                    % {"plan": plan, "end": plan.period_end},
                )
            )
    return flags


def member_today(member) -> dt.date:
    """Today's date where the member is (deadlines fall on the member's calendar)."""
    return timezone.localtime(timezone=member.zone).date()


def member_time(member, moment) -> str:
    """`moment` as the member's local time, with the zone's name."""
    local = timezone.localtime(moment, member.zone)
    return local.strftime("%Y-%m-%d %H:%M %Z")
