"""The civil servant's plans and what still blocks their adoption, on the workspace."""

from django.utils.translation import gettext as _

from ogp_portal.organisations.access import Access
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.workspace import Todo, TodoItem
from plans.adoption import adoption_problems
from plans.choices import PlanStatus
from plans.models import ActionPlan

# Plans still on their way to adoption: adoption checks matter only for these.
BEFORE_ADOPTION = (
    PlanStatus.PLANNING,
    PlanStatus.NOTICE,
    PlanStatus.CO_CREATION,
    PlanStatus.DRAFTING,
    PlanStatus.DRAFT_PUBLIC_COMMENT,
    PlanStatus.REASONED_RESPONSE,
)


def plan_todos(user: object, member: object, access: Access) -> list[Todo]:
    member_pk = getattr(member, "pk", None)
    if member_pk is None or not access.has_role(member_pk, Role.CIVIL_SERVANT):
        return []
    plans = list(
        ActionPlan.objects.filter(member_id=member_pk, status__in=BEFORE_ADOPTION).order_by(
            "-period_start"
        )[:5]
    )
    items: list[TodoItem] = []
    blockers = 0
    for plan in plans:
        problems = adoption_problems(plan)
        blockers += len(problems)
        items.append(
            TodoItem(
                text=str(plan),
                url=plan.get_absolute_url(),
                note="; ".join(problems)[:300] or _("nothing blocks its adoption"),
            )
        )
    first = plans[0].get_absolute_url() if plans else member.get_absolute_url()  # type: ignore[attr-defined]
    return [
        Todo(
            role=_("Civil servant"),
            label=_("Plans and what blocks their adoption"),
            url=first,
            count=blockers,
            items=items,
        )
    ]
