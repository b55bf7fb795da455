from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from .reminders import register

        # Notification kinds (users choose how to receive them) and the plan-ending scanner.
        register()
