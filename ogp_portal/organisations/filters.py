import django_filters
from django.utils.translation import gettext_lazy as _

from .choices import OrganisationKind
from .models import Member, Organisation


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))
    member = django_filters.ModelChoiceFilter(queryset=Member.objects.all(), label=_("Member"))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"))

    class Meta:
        model = Organisation
        fields = ["q", "member", "kind"]
