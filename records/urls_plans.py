"""A plan's pages on the public record, mounted at /plans/ beside plans/urls.py (whose paths
they do not share): /plans/<id>/self-assessment/ and the plan's outreach log."""

from django.urls import path

from . import views_plans

app_name = "plan_records"

urlpatterns = [
    path("<int:pk>/self-assessment/", views_plans.self_assessment, name="self-assessment"),
    path("irm-package.schema.json", views_plans.irm_package_schema, name="irm-package-schema"),
    path("<int:pk>/irm-package/", views_plans.irm_package_page, name="irm-package"),
    path("<int:plan_pk>/outreach/", views_plans.outreach_list, name="outreach-list"),
    path("<int:plan_pk>/outreach/new/", views_plans.outreach_create, name="outreach-create"),
    path("outreach/<int:pk>/file/", views_plans.outreach_file, name="outreach-file"),
]
