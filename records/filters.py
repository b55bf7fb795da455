import django_filters
from django.utils.translation import gettext_lazy as _

from plans.models import ActionPlan

from .choices import DocumentType
from .models import RepositoryDocument


class RepositoryFilter(django_filters.FilterSet):
    doc_type = django_filters.ChoiceFilter(
        choices=DocumentType.choices, label=_("Type"), empty_label=_("All types")
    )
    year = django_filters.NumberFilter(
        method="filter_year", label=_("Year"), min_value=1, max_value=9999
    )
    plan = django_filters.ModelChoiceFilter(
        queryset=ActionPlan.objects.none(), label=_("Action plan"), empty_label=_("All plans")
    )

    class Meta:
        model = RepositoryDocument
        fields = ["doc_type", "year", "plan"]

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is None:
            del self.filters["plan"]
        else:
            self.filters["plan"].queryset = plans

    def filter_year(self, queryset, name, value):
        # Years in the active time zone (the repository page runs in the member's).
        return queryset.filter(published_at__year=int(value)) if value else queryset
