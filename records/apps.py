from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """The public record across apps, the top layer (shared/architecture.md)."""

    name = "records"
    verbose_name = _("Public record")

    def ready(self) -> None:
        from forums import publications
        from ogp_portal.organisations.member_links import register_member_links

        from . import services, views
        from .exports import register as register_exports

        # The forum's rules, round results and minutes go on the member's record; the forum
        # page shows the record's latest entries and its navigation links to the repository
        # and the compliance panel. forums/ owns these hooks.
        publications.on_published(services.document_record_publication)
        publications.on_forum_page(views.latest_documents_for_forum_page)
        publications.on_member_links(views.member_links)
        # The member's page links to its repository, compliance panel and open data.
        register_member_links(views.member_page_links)

        # Printable documents (plan PDF, consultation report, minutes): issue #6.
        register_exports()

        from ogp_portal.core import page_cache

        page_cache.register_content_models(self.get_models())  # the repository is public
