import django_filters
from django.utils.translation import gettext_lazy as _

from plans.models import ActionPlan

from .choices import DocumentType
from .models import RepositoryDocument


class RepositoryFilter(django_filters.FilterSet):
    doc_type = django_filters.ChoiceFilter(
        choices=DocumentType.choices, label=_("Type"), empty_label=_("All types")
    )
    plan = django_filters.ModelChoiceFilter(
        queryset=ActionPlan.objects.none(), label=_("Action plan"), empty_label=_("All plans")
    )

    class Meta:
        model = RepositoryDocument
        fields = ["doc_type", "plan"]

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is None:
            del self.filters["plan"]
        else:
            self.filters["plan"].queryset = plans
