"""A plan's self-assessment: every minimum requirement of the plan's own rule set, judged over
the plan's own period from the portal's records, each line with the records it was computed
from (ogp-domain.md §3.2, §3.6, §3.8).

`plan_self_assessment(plan)` is the one selector: the self-assessment page, the member's
compliance panel and the IRM evidence package all read its structured lines. Every link it
returns points at a public page (an anonymous visitor gets it), and a line without records
links to where they would be.

The plan's period, for rules that run over time, is from when its co-creation began (the
notice of its timeline, if before the period starts) to its end, cut at `today`. Yearly
rules (MR 2.2, MR 5.1) are judged per calendar year in the member's time zone.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.models import Consultation
from forums.dates import add_months
from forums.models import Forum
from ogp_portal.core.ogp_rules import rule
from plans.models import ActionPlan, PlanInfluence
from records.selectors import requirements
from records.selectors.assessment import (
    DELIVERED,
    Context,
    Influence,
    Line,
    Link,
    ReviewClock,
    SelfAssessment,
    Status,
    YearLine,
    local_date,
)

__all__ = [
    "Influence",
    "Line",
    "Link",
    "ReviewClock",
    "SelfAssessment",
    "Status",
    "YearLine",
    "plan_self_assessment",
]


def _review_clock(ctx: Context) -> ReviewClock:
    plan = ctx.plan
    months: int = rule("procedural_review_months", ctx.version)
    deadline = add_months(plan.period_end, months)
    successor = (
        ActionPlan.objects.filter(
            member=plan.member, period_start__gt=plan.period_end, status__in=DELIVERED
        )
        .order_by("period_start")
        .only("pk", "title")
        .first()
    )
    plans_url = reverse("plans:plan-list") + f"?member={plan.member.slug}"
    if successor is not None:
        return ReviewClock(
            deadline,
            Status.MET,
            _("The next plan, “%(title)s”, is adopted.") % {"title": successor.title},
            [Link(successor.title, successor.get_absolute_url())],
        )
    if ctx.today <= plan.period_end:
        detail = _(
            "If no next plan is adopted by %(deadline)s, OGP counts the member as acting "
            "contrary to process."
        ) % {"deadline": deadline}
        return ReviewClock(deadline, Status.NOT_APPLICABLE, detail, [Link(_("Plans"), plans_url)])
    if ctx.today <= deadline:
        detail = ngettext(
            "No next plan adopted yet: %(days)s day left until %(deadline)s.",
            "No next plan adopted yet: %(days)s days left until %(deadline)s.",
            (deadline - ctx.today).days,
        ) % {"days": (deadline - ctx.today).days, "deadline": deadline}
        return ReviewClock(deadline, Status.IN_PROGRESS, detail, [Link(_("Plans"), plans_url)])
    detail = _(
        "No next plan was adopted by %(deadline)s: OGP counts this as acting contrary to process."
    ) % {"deadline": deadline}
    return ReviewClock(deadline, Status.NOT_MET, detail, [Link(_("Plans"), plans_url)])


def _influence(plan: ActionPlan) -> Influence | None:
    """The self-assessed level of public influence (plans.PlanInfluence), if recorded: the
    co-creation level, and the implementation level when there is one, with their support."""
    record = PlanInfluence.objects.filter(plan=plan).first()
    if record is None or not record.co_creation_level:
        return None
    level = _("Co-creation: %(level)s") % {"level": record.get_co_creation_level_display()}
    if record.implementation_level:
        level += " · " + _("Implementation: %(level)s") % {
            "level": record.get_implementation_level_display()
        }
    support = [record.co_creation_support, record.implementation_support]
    return Influence(level=level, evidence="\n".join(s for s in support if s))


def plan_self_assessment(plan: ActionPlan, *, today: dt.date | None = None) -> SelfAssessment:
    """Every minimum requirement of `plan`'s rule set, judged over the plan's own period from
    the portal's records, with the links to those records (a bounded number of queries)."""
    member = plan.member
    today = today or timezone.localtime(timezone.now(), member.zone).date()
    version = plan.standards_version
    start = plan.period_start
    if plan.notice_published_at is not None:
        start = min(start, local_date(plan.notice_published_at, plan))
    consultations = list(
        Consultation.objects.filter(plan=plan, notice_published_at__isnull=False)
        .order_by("opens_at", "pk")
        .only("pk", "title", "channels", "notice_published_at", "opens_at", "closes_at")
    )
    ctx = Context(
        plan=plan,
        version=version,
        today=today,
        start=start,
        until=min(plan.period_end, today),
        forum=Forum.objects.filter(member=member).select_related("member").first(),
        consultations=consultations,
    )
    lines = [requirement(ctx) for requirement in requirements.REQUIREMENTS]
    return SelfAssessment(
        plan=plan,
        standards_version=version,
        assessed_from=ctx.start,
        assessed_until=ctx.until,
        lines=lines,
        clock=_review_clock(ctx),
        influence=_influence(plan),
    )
