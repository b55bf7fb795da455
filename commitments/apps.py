from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitmentsConfig(AppConfig):
    name = "commitments"
    verbose_name = _("Commitments")

    def ready(self) -> None:
        from ogp_portal.core import page_cache
        from ogp_portal.organisations.workspace import register_todo_provider
        from plans.adoption import register_adoption_check
        from plans.influence import register_influence_evidence
        from plans.timeline import register_timeline_provider

        from .adoption import commitment_sections_empty
        from .influence import commitment_influence
        from .reminders import register
        from .timeline import open_milestones
        from .workspace_todos import milestone_todos

        # Every commitment's template sections are written before the plan is adopted.
        register_adoption_check(
            commitment_sections_empty, label=_("Every commitment section is written")
        )
        # The plan page's timeline lists the next open milestones.
        register_timeline_provider(open_milestones)
        # Commitment teams with civil-society partners propose "collaborate" in implementation.
        register_influence_evidence(commitment_influence)
        # Commitments and milestones appear on public pages.
        page_cache.register_content_models(self.get_models())

        # Notification kinds (users choose how to receive them) and the milestone scanner.
        register()
        # The commitment lead's workspace lists milestones due soon and overdue.
        register_todo_provider(milestone_todos)
