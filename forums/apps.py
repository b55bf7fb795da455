from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from .reminders import register

        # Notification kinds (users choose how to receive them) and the forum scanners.
        register()
        from .group_input_kinds import register as register_group_input_kinds

        register_group_input_kinds()

        from ogp_portal.core import page_cache

        page_cache.register_content_models(self.get_models())  # forum pages are public
