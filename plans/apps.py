from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from ogp_portal.core import page_cache
        from ogp_portal.organisations.workspace import register_todo_provider

        from .adoption import plan_sections_empty, register_adoption_check
        from .reminders import register
        from .workspace_todos import plan_todos

        # Every section of the plan's template is written before adoption.
        register_adoption_check(plan_sections_empty, label=_("Every plan section is written"))

        # Plans and policy areas appear on public pages.
        page_cache.register_content_models(self.get_models())

        # Notification kinds (users choose how to receive them) and the plan-ending scanner.
        register()
        # The civil servant's workspace lists the plans before adoption and their blockers.
        register_todo_provider(plan_todos)
