"""What the forum tells about the plan's level of public influence (plans/influence.py):
a forum where civil society holds seats shows at least "involve" in both phases; a forum
decision that gated the plan's adoption shows at least "collaborate" in co-creation.

The decision gate comes with forum decisions (motions, votes, gates); this reads it only
where it exists, so it works with or without them."""

from typing import Any

from django.utils.translation import gettext as _

from plans.choices import InfluenceLevel, InfluencePhase
from plans.influence import InfluenceSignal
from plans.models import ActionPlan

from . import choices
from .choices import Sector
from .models import Decision, Forum


def _adoption_gated_by_decision(forum: Forum, plan: ActionPlan) -> bool:
    """Whether the forum's rules made adoption wait for its decision and that decision is
    on the public record. False where forum decisions do not gate plans."""
    purposes: Any = getattr(choices, "DecisionPurpose", None)
    passed_for = getattr(Decision.objects, "passed_for", None)
    if not getattr(forum, "adoption_requires_decision", False) or not purposes or not passed_for:
        return False
    decisions = passed_for(plan, purposes.ADOPT_PLAN)
    on_record = getattr(decisions, "on_record", None)
    return bool((on_record() if on_record else decisions).exists())


def forum_influence(plan: ActionPlan) -> list[InfluenceSignal]:
    forum = Forum.objects.select_related("member").filter(member_id=plan.member_id).first()
    if forum is None:
        return []
    signals = []
    url = forum.get_absolute_url()
    if forum.seats.occupying().filter(sector=Sector.CIVIL_SOCIETY).exists():
        reason = _("Civil society holds seats on the multi-stakeholder forum")
        signals += [
            InfluenceSignal(InfluencePhase.CO_CREATION, InfluenceLevel.INVOLVE, reason, url),
            InfluenceSignal(InfluencePhase.IMPLEMENTATION, InfluenceLevel.INVOLVE, reason, url),
        ]
    if _adoption_gated_by_decision(forum, plan):
        signals.append(
            InfluenceSignal(
                InfluencePhase.CO_CREATION,
                InfluenceLevel.COLLABORATE,
                _("The forum’s recorded decision gated the plan’s adoption"),
                url,
            )
        )
    return signals
