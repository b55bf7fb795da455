from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "ogp_portal.organisations"
    label = "organisations"
    verbose_name = _("Members and organisations")

    def ready(self) -> None:
        from ogp_portal.core import page_cache
        from ogp_portal.core.notifications import AUDIENCE_ORGANISATION_ADMINS, register_kind

        # Members and organisations appear on public pages.
        page_cache.register_content_models(self.get_models())

        register_kind(
            "organisation.join_requested",
            _("Someone asks to join your organisation"),
            _("Sent to the organisation's admins when a person asks to join it."),
            audience=AUDIENCE_ORGANISATION_ADMINS,
        )
