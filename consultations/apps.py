from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from ogp_portal.core import page_cache
        from ogp_portal.organisations.profile import register_profile_section
        from plans.adoption import register_adoption_check
        from plans.influence import register_influence_evidence

        from .checks import (
            inputs_without_response,
            proposals_without_response,
            windows_open_or_scheduled,
        )
        from .influence import consultation_influence
        from .organisation_profile import proposals_section
        from .page_scopes import SCOPES
        from .reminders import register

        # A plan may not be adopted while any input lacks its published reasoned response.
        register_adoption_check(
            windows_open_or_scheduled, label=_("No consultation is open or scheduled")
        )
        register_adoption_check(
            proposals_without_response, label=_("Every proposal has a published response")
        )
        register_adoption_check(
            inputs_without_response, label=_("Every other input has a published response")
        )
        # An organisation's page lists its proposals, coalitions included.
        register_profile_section(proposals_section)
        # Answered inputs propose a level of public influence on the plan page.
        register_influence_evidence(consultation_influence)
        # Notification kinds (users choose how to receive them) and the reminder scanners.
        register()
        # Consultations, proposals and comments appear on public pages, each on its own.
        page_cache.register_content_models(self.get_models(), SCOPES)
