from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Commitments")

    def ready(self) -> None:
        from ogp_portal.core import page_cache
        from plans.adoption import register_adoption_check
        from plans.timeline import register_timeline_provider

        from .adoption import commitment_sections_empty
        from .reminders import register
        from .timeline import open_milestones

        # Every commitment's template sections are written before the plan is adopted.
        register_adoption_check(
            commitment_sections_empty, label=_("Every commitment section is written")
        )
        # The plan page's timeline lists the next open milestones.
        register_timeline_provider(open_milestones)
        # Commitments and milestones appear on public pages.
        page_cache.register_content_models(self.get_models())

        # Notification kinds (users choose how to receive them) and the milestone scanner.
        register()
