"""Public URLs under /consultations/: windows and their record (urls_windows), proposals,
comments, support and moderation (urls_proposals)."""

from django.urls import include, path

app_name = "consultations"

urlpatterns = [
    path("", include("consultations.urls_windows")),
    path("", include("consultations.urls_proposals")),
]
