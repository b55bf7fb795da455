"""A member's public record, mounted at /forums/ in ogp_portal/urls.py: the paths are the ones
these pages had while they lived in forums/ (tests/records/test_old_urls.py keeps them)."""

from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("documents/<int:pk>/file/", views.document_file, name="document-file"),
    path("<slug:slug>/repository/", views.repository, name="repository"),
    path(
        "<slug:slug>/repository/plans/<int:plan_pk>/",
        views.repository,
        name="repository-plan",
    ),
    path("<slug:slug>/repository/add/", views.document_create, name="document-create"),
    path("<slug:slug>/compliance/", views.compliance_panel, name="compliance"),
]
