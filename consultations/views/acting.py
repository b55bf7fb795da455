"""The secretariat's list of proposals published on behalf of an organisation that does not
qualify (organisations.rules.acting_refusal): look-alike or unverified organisations, a
government body, another member's organisation, or an author who is not its member."""

from typing import Any

from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from consultations import selectors


class UnqualifiedOrganisationsView(PermissionRequiredMixin, TemplateView):
    template_name = "consultations/unqualified_organisations.html"
    permission_required = "organisations.view_secretariat"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["rows"] = selectors.proposal_unqualified_organisations_for_secretariat()
        return context
