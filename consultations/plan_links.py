"""The "New consultation" link on a plan's page (registered with plans.page_actions)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _


def new_consultation_link(user: Any, plan: Any) -> list[tuple[str, str]]:
    """Offered to the member's civil servants while the plan can take a consultation."""
    if not user.has_perm("consultations.add_consultation", plan):
        return []
    return [(_("New consultation"), reverse("consultations:consultation-create", args=[plan.pk]))]
