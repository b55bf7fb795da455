"""The dashboards (issue #18), mounted at the site root in ogp_portal/urls.py."""

from django.urls import path

from . import views_dashboard

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views_dashboard.portal_dashboard, name="portal"),
    path("members/<slug:slug>/dashboard/", views_dashboard.member_dashboard, name="member"),
]
