import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ogp_portal.organisations.models import Member
from plans.models import ActionPlan, PolicyArea

from .choices import OGP_VALUES, CommitmentStatus
from .models import Commitment
from .search import search_commitments

# More names than a list can usefully offer: the first ones, alphabetically.
MAX_AREAS = 300


class CommitmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    member = django_filters.ModelChoiceFilter(
        field_name="plan__member", queryset=Member.objects.all(), label=_("Member")
    )
    plan = django_filters.ModelChoiceFilter(queryset=ActionPlan.objects.none(), label=_("Plan"))
    # A list, not a text box: the policy areas of the plans the person can see, by name
    # (plans share names such as "Access to Justice", so one choice spans all of them).
    policy_area = django_filters.ChoiceFilter(
        field_name="policy_area__name", lookup_expr="iexact", label=_("Policy area")
    )
    value = django_filters.ChoiceFilter(
        choices=OGP_VALUES, method="filter_value", label=_("OGP value")
    )
    lead_institution = django_filters.CharFilter(
        lookup_expr="icontains", label=_("Lead institution")
    )
    status = django_filters.ChoiceFilter(choices=CommitmentStatus.choices, label=_("Status"))

    class Meta:
        model = Commitment
        fields = ["q", "member", "plan", "policy_area", "value", "lead_institution", "status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The plan list offers the chosen member's plans (and a plan already in the query),
        # not every plan of every member: hundreds of options made rendering this form most
        # of the page's cost at national scale.
        plans = ActionPlan.objects.visible_to(user).select_related("member")
        member, plan = self.data.get("member"), self.data.get("plan")
        wanted = Q(pk__in=[])
        if member and str(member).isdigit():
            wanted |= Q(member_id=int(member))
        if plan and str(plan).isdigit():
            wanted |= Q(pk=int(plan))
        self.filters["plan"].queryset = plans.filter(wanted)
        # The chosen plan's areas, else the chosen member's, else every visible plan's.
        areas = PolicyArea.objects.filter(plan__in=ActionPlan.objects.visible_to(user))
        if plan and str(plan).isdigit():
            areas = areas.filter(plan_id=int(plan))
        elif member and str(member).isdigit():
            areas = areas.filter(plan__member_id=int(member))
        names = areas.order_by("name").values_list("name", flat=True).distinct()[:MAX_AREAS]
        self.filters["policy_area"].extra["choices"] = [(name, name) for name in names]

    def filter_search(self, queryset, name, value):
        return search_commitments(queryset, value)

    def filter_value(self, queryset, name, value):
        return queryset.filter(Q(**{value: True}))
