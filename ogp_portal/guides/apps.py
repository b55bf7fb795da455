from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidesConfig(AppConfig):
    """How to take part: the guides for citizens, organisations and government staff, and the
    resources page the secretariat keeps."""

    name = "ogp_portal.guides"
    label = "guides"
    verbose_name = _("Guides and resources")

    def ready(self) -> None:
        from ogp_portal.core import page_cache

        # The resources page is public and cached for anonymous readers.
        page_cache.register_content_models(self.get_models())
