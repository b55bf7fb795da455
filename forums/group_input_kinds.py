"""The notification kinds of working-group input (registered in ForumsConfig.ready)."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from ogp_portal.core.notifications import register_kind

    register_kind(
        "group_application.decided",
        _("A decision on your application to a working group"),
        _("Sent when a working group accepts or declines your application to join."),
    )
