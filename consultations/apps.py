from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("Consultations")

    def ready(self) -> None:
        from plans.adoption import register_adoption_check

        from .checks import proposals_without_response
        from .reminders import register

        # A plan may not be adopted while any input lacks its published reasoned response.
        register_adoption_check(proposals_without_response)
        # Notification kinds (users choose how to receive them) and the reminder scanners.
        register()
