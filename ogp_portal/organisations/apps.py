from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "ogp_portal.organisations"
    label = "organisations"
    verbose_name = _("Members and organisations")

    def ready(self) -> None:
        from ogp_portal.core import page_cache
        from ogp_portal.core.notifications import (
            AUDIENCE_EVERYONE,
            AUDIENCE_ORGANISATION_ADMINS,
            register_kind,
        )

        from .workspace import register_todo_provider
        from .workspace_todos import organisation_todos

        # Members and organisations appear on public pages.
        page_cache.register_content_models(self.get_models())
        # Join requests for admins; organisations to verify and e-mail failures for the
        # secretariat.
        register_todo_provider(organisation_todos)
        # The header's to-do counts are kept from sign-in on (read from the cache only).
        from django.contrib.auth.signals import user_logged_in

        from .workspace import refresh_counts

        user_logged_in.connect(refresh_counts, dispatch_uid="workspace-refresh-counts")

        register_kind(
            "organisation.join_requested",
            _("Someone asks to join your organisation"),
            _("Sent to the organisation's admins when a person asks to join it."),
            audience=AUDIENCE_ORGANISATION_ADMINS,
        )
        register_kind(
            "organisation.rejected",
            _("The secretariat did not verify your organisation"),
            _("Sent to the organisation's admins when the secretariat rejects it, with why."),
            audience=AUDIENCE_ORGANISATION_ADMINS,
        )
        register_kind(
            "organisation.join_declined",
            _("Your request to join an organisation was declined"),
            _("Sent to you when an organisation's admin declines your request, with why."),
            audience=AUDIENCE_EVERYONE,
        )
