from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UsersConfig(AppConfig):
    name = "ogp_portal.users"
    label = "users"
    verbose_name = _("Users")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
