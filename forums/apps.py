from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from ogp_portal.organisations.workspace import register_todo_provider

        from .reminders import register
        from .workspace_todos import forum_todos

        # Notification kinds (users choose how to receive them) and the forum scanners.
        register()
        from .group_input_kinds import register as register_group_input_kinds

        register_group_input_kinds()
        # Minutes to publish and the selection rounds running, on the workspace.
        register_todo_provider(forum_todos)

        from ogp_portal.core.home import HomeSection, register_home_section
        from ogp_portal.organisations.member_links import register_member_links

        from .home import forum_member_link, home_meetings

        # Coming meetings and the latest decisions on the home page; the member page links
        # to the forum.
        register_home_section(HomeSection("forums/includes/_home_meetings.html", home_meetings, 30))
        register_member_links(forum_member_link)

        from ogp_portal.core import page_cache

        page_cache.register_content_models(self.get_models())  # forum pages are public

        from plans.influence import register_influence_evidence

        from .influence import forum_influence

        # The plan page proposes a level of public influence from what the forum shows.
        register_influence_evidence(forum_influence)

        from plans.adoption import register_adoption_check
        from plans.notice_checks import register_notice_check

        from .services import adoption_needs_forum_decision, timeline_needs_forum_decision

        # Where the forum's rules say so, adopting a plan and publishing its co-creation
        # timeline each need the forum's recorded decision.
        register_adoption_check(adoption_needs_forum_decision)
        register_notice_check(timeline_needs_forum_decision)
