from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from ogp_portal.core import page_cache
        from ogp_portal.core.home import HomeSection, register_home_section
        from ogp_portal.core.notifications import register_kind
        from ogp_portal.organisations.profile import register_profile_section
        from ogp_portal.organisations.workspace import register_todo_provider
        from plans.adoption import register_adoption_check
        from plans.influence import register_influence_evidence
        from plans.page_actions import register_plan_action

        from .checks import (
            inputs_without_response,
            proposals_without_response,
            windows_open_or_scheduled,
        )
        from .home import home_consultations, home_responses
        from .influence_level import consultation_influence
        from .organisation_profile import proposals_section
        from .page_scopes import BULK_SCOPES, SCOPES
        from .plan_links import new_consultation_link
        from .reminders import register
        from .services.responses import INPUT_ANSWERED
        from .workspace_todos import consultation_todos

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
        # "New consultation" on the plan's page, for plans that can take one.
        register_plan_action(new_consultation_link)
        # Notification kinds (users choose how to receive them) and the reminder scanners.
        register()
        register_kind(
            INPUT_ANSWERED,
            _("A response to your input"),
            _(
                "Sent once per response when the government publishes its reasoned response "
                "to inputs you gave (an answer, a comment, a proposal)."
            ),
        )
        # Inputs awaiting a response, consultations to announce, flags, drafts, open calls.
        register_todo_provider(consultation_todos)
        # Open and coming consultations first on the home page, latest responses after them.
        register_home_section(
            HomeSection("consultations/includes/_home_consultations.html", home_consultations, 10)
        )
        register_home_section(
            HomeSection("consultations/includes/_home_responses.html", home_responses, 40)
        )
        # Consultations, proposals and comments appear on public pages, each on its own.
        page_cache.register_content_models(self.get_models(), SCOPES, BULK_SCOPES)
