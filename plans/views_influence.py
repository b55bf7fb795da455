"""The plan's level of public influence: what the point of contact records, and what the
portal proposes from what it sees (plans/influence.py)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from ogp_portal.core.form_views import PermissionRequiredMixin, ServiceFormMixin
from ogp_portal.users.types import AnyUser, AuthenticatedHttpRequest

from . import services
from .forms import InfluenceForm
from .influence import proposed_levels
from .models import ActionPlan, PlanInfluence


def influence_context(plan: ActionPlan, user: AnyUser) -> dict:
    """What the plan page shows: the recorded levels, the portal's proposal, and the link."""
    return {
        # Loaded with the plan where the page asked for it (select_related).
        "recorded": getattr(plan, "influence", None),
        "proposed": proposed_levels(plan),
        "can_set": user.has_perm("plans.set_influence", plan),
    }


class InfluenceFormView(ServiceFormMixin, PermissionRequiredMixin, FormView):
    # The permission needs a role, so anonymous people are sent to sign in first.
    request: AuthenticatedHttpRequest
    form_class = InfluenceForm
    template_name = "plans/influence_form.html"
    permission_required = "plans.set_influence"

    def get_permission_object(self):
        self.plan = get_object_or_404(
            ActionPlan.objects.select_related("member"), pk=self.kwargs["pk"]
        )
        return self.plan

    def get_form_kwargs(self):
        instance = PlanInfluence.objects.filter(plan=self.plan).first()
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan, proposed=proposed_levels(self.plan), **kwargs
        )

    def form_valid(self, form):
        _result, refused = self.call_service(
            form,
            lambda: services.plan_influence_set(
                self.plan, actor=self.request.user, **form.cleaned_data
            ),
        )
        if refused:
            return refused
        messages.success(self.request, _("The plan's level of public influence is recorded."))
        return redirect(f"{self.plan.get_absolute_url()}#influence-heading")
