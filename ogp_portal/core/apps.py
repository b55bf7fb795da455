from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ogp_portal.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from ogp_portal.celery import ensure_broker_folders

        # The web process publishes to the embedded broker's folder too, so it must exist.
        ensure_broker_folders()

        from django.core import checks

        from . import page_cache
        from .models import Translation
        from .templatetags import i18n_kept

        # Django's templates.W003 without the one intended override (settings.TEMPLATES).
        checks.register(i18n_kept.check_labels, checks.Tags.templates)

        # Translations are shown on public pages; each app registers its own content models.
        page_cache.register_content_models([Translation])
        # Writes no signal sees (QuerySet.update, bulk_create) change the pages declared too.
        connection_created.connect(page_cache.watch_writes, dispatch_uid="pagecache-watch")
        for connection in connections.all(initialized_only=True):
            page_cache.watch_writes(connection=connection)
