from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from ogp_portal.core.notifications import AUDIENCE_STAFF, kind_audience_set

        from .reminders import register

        # Notification kinds (users choose how to receive them) and the forum scanners.
        register()
        # Only staff get these: the preferences page shows them to staff only (and to a
        # forum chair without a role once they got one).
        kind_audience_set(AUDIENCE_STAFF, "forum.idle", "minutes.overdue")

        # Printable documents (plan PDF, consultation report, minutes): issue #6.
        from .exports import register as register_exports

        register_exports()
