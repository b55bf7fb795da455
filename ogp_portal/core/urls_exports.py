"""Exports: start a job, follow it, download the result (mounted at /exports/)."""

from django.urls import path

from . import views_exports as views

app_name = "exports"

urlpatterns = [
    path("jobs/<uuid:job_id>/", views.job_detail, name="job-detail"),
    path("jobs/<uuid:job_id>/status.json", views.job_status, name="job-status"),
    path("jobs/<uuid:job_id>/retry/", views.job_retry, name="job-retry"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="job-download"),
    path("<slug:kind>/<int:pk>/latest.pdf", views.latest_download, name="latest"),
    path("<slug:kind>/<int:ct_id>/<int:pk>/", views.export_start, name="start"),
]
