"""Every write to action plans and their policy areas."""

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ogp_portal.core.audit import record_event
from ogp_portal.core.errors import DomainError, require_editable
from ogp_portal.core.locking import save_if_unchanged
from ogp_portal.core.ogp_rules import earliest_after_notice, rule
from ogp_portal.organisations.models import Member
from ogp_portal.users.models import User

from .adoption import adoption_problems
from .choices import PlanStatus
from .cycle import cycle_errors, member_time, member_today
from .models import ActionPlan, PlanInfluence, PolicyArea
from .notice_checks import notice_problems
from .workflows import can_transition

# Changing these while the notice is out changes what people were told (MR 3.1).
NOTICE_MATERIAL_FIELDS = ("co_creation_timeline", "period_start", "period_end")
NOTICE_RESTARTED = "notice-restarted"


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
    previous_notice = plan.notice_published_at
    changed = [
        name
        for name in NOTICE_MATERIAL_FIELDS
        if name in fields and fields[name] != getattr(plan, name)
    ]
    restart = plan.status == PlanStatus.NOTICE and previous_notice is not None and bool(changed)
    for name, value in fields.items():
        setattr(plan, name, value)
    saved = list(fields)
    # django-simple-history reads this undeclared attribute as the version's change reason.
    plan._change_reason = "edit"  # type: ignore[attr-defined]
    if restart:
        # A material change to a published notice (MR 3.1): the notice period starts again
        # now, and the version says so on the public versions page.
        plan.notice_published_at = timezone.now()
        plan._change_reason = NOTICE_RESTARTED  # type: ignore[attr-defined]
        saved.append("notice_published_at")
    # A second, identical save from the same person (a double click) was this one: no new event.
    if save_if_unchanged(plan, expected_version, saved, actor=actor):
        record_event(actor, "plans.plan.edited", plan, version=plan.version)
        if restart:
            record_event(
                actor,
                "plans.plan.notice_restarted",
                plan,
                changed=changed,
                previous_notice=previous_notice.isoformat() if previous_notice else None,
            )
    return plan


def notice_restarts(plan: ActionPlan) -> list[dt.datetime]:
    """When a material change after the notice started the notice period again (newest
    first): the plan page says so, and the versions page shows what changed."""
    return list(
        plan.history.filter(history_change_reason=NOTICE_RESTARTED)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
    )


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
        # Calendar days in the member's zone (see ogp_rules.earliest_after_notice).
        opens = earliest_after_notice(plan.notice_published_at, days, plan.member.zone)
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


class InfluenceSupportMissing(DomainError):
    """A level of influence given without what supports it; `errors` names the fields."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


@transaction.atomic
def plan_influence_set(plan: ActionPlan, *, actor: User, **fields: Any) -> PlanInfluence:
    """Record the plan's self-assessed level of public influence for co-creation and for
    implementation, with what supports each. A level needs its support (links to records
    or a reasoned note), since it is a public claim."""
    require_editable(plan)
    if not actor.has_perm("plans.set_influence", plan):
        raise DomainError(_("Only the member's civil servants may record the plan's influence."))
    errors: dict[str, str] = {}
    for phase in ("co_creation", "implementation"):
        if fields.get(f"{phase}_level") and not str(fields.get(f"{phase}_support", "")).strip():
            errors[f"{phase}_support"] = _(
                "Link the records that support this level, or explain it in a note."
            )
    if errors:
        raise InfluenceSupportMissing(errors)
    influence, _created = PlanInfluence.objects.get_or_create(plan=plan)
    before = f"{influence.co_creation_level}/{influence.implementation_level}"
    for name, value in fields.items():
        setattr(influence, name, value)
    influence.set_by = actor
    influence.save()
    record_event(
        actor, "plans.influence.set", plan,
        from_state=before,
        to_state=f"{influence.co_creation_level}/{influence.implementation_level}",
    )  # fmt: skip
    return influence
