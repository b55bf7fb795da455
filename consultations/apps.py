from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from ogp_portal.core import page_cache
        from ogp_portal.core.home import HomeSection, register_home_section
        from ogp_portal.organisations.workspace import register_todo_provider
        from plans.adoption import register_adoption_check
        from plans.page_actions import register_plan_action

        from .checks import proposals_without_response
        from .home import home_consultations, home_responses
        from .page_scopes import SCOPES
        from .plan_links import new_consultation_link
        from .reminders import register
        from .workspace_todos import consultation_todos

        # A plan may not be adopted while any input lacks its published reasoned response.
        register_adoption_check(proposals_without_response)
        # "New consultation" on the plan's page, for plans that can take one.
        register_plan_action(new_consultation_link)
        # Notification kinds (users choose how to receive them) and the reminder scanners.
        register()
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
        page_cache.register_content_models(self.get_models(), SCOPES)
