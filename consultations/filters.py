"""The ledger's filters (kind, decision, policy area, consultation), shared by the page and
its CSV so that the file holds exactly what the page lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from plans.models import PolicyArea

from .choices import InputKind, ResponseDecision
from .models import Consultation, InputEntry

NO_RESPONSE = "none"


class InputEntryFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=InputKind.choices, label=_("Kind of input"))
    decision = django_filters.ChoiceFilter(
        choices=[*ResponseDecision.choices, (NO_RESPONSE, _("No published response yet"))],
        method="filter_decision",
        label=_("Decision"),
    )
    policy_area = django_filters.ModelChoiceFilter(
        queryset=PolicyArea.objects.none(), label=_("Policy area")
    )
    consultation = django_filters.ModelChoiceFilter(
        queryset=Consultation.objects.none(), label=_("Consultation")
    )

    class Meta:
        model = InputEntry
        fields = ["kind", "decision", "policy_area", "consultation"]

    def __init__(self, *args, plan=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["policy_area"].queryset = PolicyArea.objects.filter(plan=plan)
        self.filters["consultation"].queryset = Consultation.objects.visible_to(user).filter(
            plan=plan
        )

    def filter_decision(self, queryset, name, value):
        if value == NO_RESPONSE:
            return queryset.unanswered()
        return queryset.answered().filter(response__decision=value)
