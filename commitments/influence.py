"""What commitments tell about the plan's level of public influence (plans/influence.py):
civil-society partners on commitment teams co-own implementation ("collaborate"), and
progress reported in public at least informs."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.choices import InfluenceLevel, InfluencePhase
from plans.influence import InfluenceSignal
from plans.models import ActionPlan

from .models import Commitment


def commitment_influence(plan: ActionPlan) -> list[InfluenceSignal]:
    signals = []
    # One query for both: commitments with a partner, and whether any progress is reported.
    seen = Commitment.objects.filter(plan=plan).aggregate(
        teams=Count("pk", filter=Q(partners__isnull=False), distinct=True),
        updates=Count("progress_updates", distinct=True),
    )
    count = seen["teams"]
    if count:
        signals.append(
            InfluenceSignal(
                InfluencePhase.IMPLEMENTATION,
                InfluenceLevel.COLLABORATE,
                ngettext(
                    "%(n)d commitment has civil-society partners on its team",
                    "%(n)d commitments have civil-society partners on their teams",
                    count,
                )
                % {"n": count},
            )
        )
    if seen["updates"]:
        signals.append(
            InfluenceSignal(
                InfluencePhase.IMPLEMENTATION,
                InfluenceLevel.INFORM,
                _("Progress on commitments is reported in public"),
            )
        )
    return signals
