"""The dashboards (issue #18), mounted at the site root in ogp_portal/urls.py."""

from django.urls import path

from ogp_portal.core.page_cache import public_page, site_scope

from . import views_dashboard

app_name = "dashboard"

urlpatterns = [
    # Anonymous readers get a stored copy until the next count of the numbers (saving a
    # snapshot changes the "site" scope), so a busy dashboard costs one cache read.
    path("dashboard/", public_page(views_dashboard.portal_dashboard, site_scope), name="portal"),
    path(
        "members/<slug:slug>/dashboard/",
        public_page(views_dashboard.member_dashboard, site_scope),
        name="member",
    ),
]
