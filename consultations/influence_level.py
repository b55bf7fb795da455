"""What consultations tell about the plan's level of public influence (plans/influence.py):
inputs answered with a published reasoned response show at least "consult"; inputs that
became commitments show at least "involve"."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import ngettext

from plans.choices import InfluenceLevel, InfluencePhase
from plans.influence import InfluenceSignal
from plans.models import ActionPlan

from .models import Proposal, ProposalCommitmentLink


def consultation_influence(plan: ActionPlan) -> list[InfluenceSignal]:
    signals = []
    seen = Proposal.objects.filter(
        consultation__plan=plan, response__published_at__isnull=False
    ).aggregate(answered=Count("pk"), first=Min("consultation_id"))
    answered, first = seen["answered"], seen["first"]
    if answered:
        signals.append(
            InfluenceSignal(
                InfluencePhase.CO_CREATION,
                InfluenceLevel.CONSULT,
                ngettext(
                    "%(n)d input answered with a published reasoned response",
                    "%(n)d inputs answered with a published reasoned response",
                    answered,
                )
                % {"n": answered},
                reverse("consultations:consultation-report", args=[first]) if first else "",
            )
        )
    adopted = (
        ProposalCommitmentLink.objects.filter(commitment__plan=plan)
        .values("proposal")
        .distinct()
        .count()
    )
    if adopted:
        signals.append(
            InfluenceSignal(
                InfluencePhase.CO_CREATION,
                InfluenceLevel.INVOLVE,
                ngettext(
                    "%(n)d input became part of a commitment",
                    "%(n)d inputs became part of commitments",
                    adopted,
                )
                % {"n": adopted},
            )
        )
    return signals
