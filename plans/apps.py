from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Action plans")

    def ready(self) -> None:
        from ogp_portal.core.notifications import AUDIENCE_STAFF, kind_audience_set

        from .reminders import register

        # Notification kinds (users choose how to receive them) and the plan-ending scanner.
        register()
        # Only staff get these: the preferences page shows them to staff only.
        kind_audience_set(AUDIENCE_STAFF, "plan.ending")
