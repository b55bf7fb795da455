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
