"""Every write to action plans and their policy areas."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.core import page_cache
from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError, require_editable
from ogp_portal.core.locking import save_if_unchanged
from ogp_portal.core.ogp_rules import rule
from ogp_portal.organisations.models import Member
from ogp_portal.users.models import User

from .adoption import adoption_problems
from .choices import PlanStatus
from .cycle import cycle_errors, member_time, member_today
from .models import ActionPlan, PolicyArea
from .notice_checks import notice_problems
from .workflows import can_transition


class CycleRuleError(DomainError):
    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def plan_create(member: Member, *, actor: User, **fields: Any) -> ActionPlan:
    """Start a new plan for `member` in planning; it gets the next sequence number."""
    errors = cycle_errors(
        member, fields.get("period_start"), fields.get("period_end"), fields["standards_version"]
    )
    if errors:
        raise CycleRuleError(errors)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                last = ActionPlan.objects.filter(member=member).aggregate(n=Max("sequence_no"))
                plan = ActionPlan.objects.create(
                    member=member, sequence_no=(last["n"] or 0) + 1, **fields
                )
                record_event(actor, "plans.plan.created", plan)
                return plan
        except IntegrityError:
            continue  # another plan took the number at the same moment; take the next one
    raise DomainError(_("The plan could not be numbered; please try again."))


def plan_update(
    plan: ActionPlan, *, actor: User, expected_version: int, **fields: Any
) -> ActionPlan:
    """Save edits if nobody else saved since the form was opened (else ConcurrentEditError)."""
    require_editable(plan)
    errors = cycle_errors(
        plan.member,
        fields.get("period_start", plan.period_start),
        fields.get("period_end", plan.period_end),
        fields.get("standards_version", plan.standards_version),
        exclude_pk=plan.pk,
    )
    if errors:
        raise CycleRuleError(errors)
    for name, value in fields.items():
        setattr(plan, name, value)
    # django-simple-history reads this undeclared attribute as the version's change reason.
    plan._change_reason = "edit"  # type: ignore[attr-defined]
    # A second, identical save from the same person (a double click) was this one: no new event.
    if save_if_unchanged(plan, expected_version, list(fields), actor=actor):
        record_event(actor, "plans.plan.edited", plan, version=plan.version)
    return plan


def transition_problems(
    plan: ActionPlan, to_status: str, today: dt.date | None = None
) -> list[str]:
    """Why `plan` cannot move to `to_status` now (empty when it can)."""
    today = today or member_today(plan.member)
    if not can_transition(plan.status, to_status):
        return [
            _("A plan cannot go from “%(from)s” to “%(to)s”.")
            % {"from": plan.get_status_display(), "to": PlanStatus(to_status).label}
        ]
    problems = []
    if to_status == PlanStatus.NOTICE and not plan.co_creation_timeline.strip():
        problems.append(
            _("Write the co-creation timeline and the ways to take part before giving notice.")
        )
    if to_status == PlanStatus.NOTICE:
        problems.extend(notice_problems(plan))
    if to_status == PlanStatus.CO_CREATION:
        days = rule("notice_days", plan.standards_version)
        if plan.notice_published_at is None:
            return [_("The notice has not been published yet.")]
        opens = plan.notice_published_at + dt.timedelta(days=days)
        if timezone.now() < opens:
            problems.append(
                _(
                    "The notice must be public for %(days)s days before co-creation starts: "
                    "the earliest start is %(date)s."
                )
                % {"days": days, "date": member_time(plan.member, opens)}
            )
    if to_status == PlanStatus.DRAFT_PUBLIC_COMMENT and not plan.commitments.exists():
        problems.append(_("Add at least one commitment before publishing the draft plan."))
    if to_status == PlanStatus.ADOPTED:
        without = plan.commitments.filter(milestones__isnull=True).values_list("ogp_id", flat=True)
        if without:
            problems.append(
                _("Every commitment needs at least one milestone; missing in: %(ids)s.")
                % {"ids": ", ".join(without)}
            )
        problems.extend(adoption_problems(plan))
    if to_status == PlanStatus.IMPLEMENTATION and today < plan.period_start:
        problems.append(
            _("Implementation starts with the plan period, on %(date)s.")
            % {"date": plan.period_start}
        )
    if to_status == PlanStatus.ENDED and today <= plan.period_end:
        problems.append(_("The plan period runs until %(date)s.") % {"date": plan.period_end})
    return problems


@transaction.atomic
def plan_transition(
    plan: ActionPlan, *, actor: User | None, to_status: str, reason: str = ""
) -> ActionPlan:
    """Move `plan` to its next stage, or raise DomainError and change nothing."""
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    problems = transition_problems(locked, to_status)
    if problems:
        raise DomainError(" ".join(problems))
    from_status = locked.status
    updated = ActionPlan.objects.filter(pk=plan.pk, status=from_status).update(
        status=to_status,
        notice_published_at=timezone.now() if to_status == PlanStatus.NOTICE
        else locked.notice_published_at,
    )  # fmt: skip
    if not updated:
        raise DomainError(_("The plan changed meanwhile; reload the page."))
    page_cache.changed("site")
    plan.refresh_from_db()
    record_event(
        actor, "plans.plan.transitioned", plan, reason=reason, from_state=from_status,
        to_state=to_status,
    )  # fmt: skip
    return plan


def policy_area_save(
    plan: ActionPlan, *, actor: User, area: PolicyArea | None = None, **fields: Any
) -> PolicyArea:
    """Create a policy area of `plan`, or edit `area`."""
    require_editable(plan)
    try:
        return _policy_area_write(actor, plan, area, fields)
    except IntegrityError as error:
        raise DomainError(_("This plan already has a policy area with this name.")) from error


@transaction.atomic
def _policy_area_write(
    actor: User, plan: ActionPlan, area: PolicyArea | None, fields: dict[str, Any]
) -> PolicyArea:
    if area is None:
        last = plan.policy_areas.aggregate(n=Max("position"))["n"]
        area = PolicyArea.objects.create(
            plan=plan, position=(last if last is not None else -1) + 1, **fields
        )
        record_event(actor, "plans.policy_area.created", area)
    else:
        for name, value in fields.items():
            setattr(area, name, value)
        area.save()
        record_event(actor, "plans.policy_area.edited", area)
    return area
