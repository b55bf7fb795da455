from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ogp_portal.core.translation_views import TranslationView
from ogp_portal.core.views import bench_ceiling, favicon, health

# A database outage anywhere in a request is a 503 that shows the typed text back.
handler500 = "ogp_portal.core.outage.server_error"

urlpatterns = [
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/profile/", include("ogp_portal.users.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("records.urls_dashboard")),
    path("", include("ogp_portal.organisations.urls")),
    path("plans/", include("plans.urls")),
    path("plans/", include("consultations.urls_influence")),
    path("plans/", include("consultations.urls_reconsideration")),
    path("plans/<int:plan_pk>/inputs/clusters/", include("consultations.urls_clusters")),
    # A plan's self-assessment and outreach log: records/ reads across apps (architecture.md).
    path("plans/", include("records.urls_plans")),
    path("plans/<int:plan_pk>/inputs/", include("consultations.urls_ledger")),
    path("commitments/", include("commitments.urls")),
    path("consultations/", include("consultations.urls")),
    path(
        "translate/<int:ct>/<int:pk>/<str:lang>/",
        TranslationView.as_view(),
        name="translate",
    ),
    path("forums/", include("forums.urls")),
    # A member's repository and compliance panel, at the paths they had under forums/.
    path("forums/", include("records.urls")),
    path("open-data/", include("records.urls_opendata")),
    # The public read API (records/api/, README "Public API").
    path("api/v1/", include("records.api.urls")),
    path("exports/", include("ogp_portal.core.urls_exports")),
    path("notifications/", include("ogp_portal.core.urls_notifications")),
    path("", include("ogp_portal.guides.urls")),
    path("", include("ogp_portal.core.urls")),
]
# Uploads are never served from MEDIA_URL, not even with DEBUG on: every file goes through
# a permission-checked download view.
if settings.BENCH_CEILING_VIEW:
    # The load benchmark's minimal view (tests/perf/README.md "Ceiling"); never mounted in a
    # deployment, which does not set BENCH_CEILING_VIEW.
    urlpatterns.append(path("bench/ceiling/", bench_ceiling, name="bench_ceiling"))
