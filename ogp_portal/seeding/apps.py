from django.apps import AppConfig


class SeedingConfig(AppConfig):
    """Installed only so that its management commands register; it has no models."""

    name = "ogp_portal.seeding"
    verbose_name = "Seeding"
