from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ogp_portal.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from ogp_portal.celery import ensure_broker_folders

        # The web process publishes to the embedded broker's folder too, so it must exist.
        ensure_broker_folders()

        from . import page_cache
        from .models import GeneratedFile, Translation

        # Translations are shown on public pages; each app registers its own content models.
        # A new stored PDF turns a page's "Download PDF" button into a link to the file.
        page_cache.register_content_models([Translation, GeneratedFile])
