from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from ogp_portal.core import page_cache
        from plans.adoption import register_adoption_check

        from .checks import (
            inputs_without_response,
            proposals_without_response,
            windows_open_or_scheduled,
        )
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
        # Notification kinds (users choose how to receive them) and the reminder scanners.
        register()
        # Consultations, proposals and comments appear on public pages, each on its own.
        page_cache.register_content_models(self.get_models(), SCOPES)
