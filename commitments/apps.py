from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Commitments")

    def ready(self) -> None:
        from .reminders import register

        # Notification kinds (users choose how to receive them) and the milestone scanner.
        register()
