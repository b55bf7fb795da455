from django.contrib import admin
from django.urls import include, path

from ogp_portal.core.translation_views import TranslationView
from ogp_portal.core.views import favicon, health

# A database outage anywhere in a request is a 503 that shows the typed text back.
handler500 = "ogp_portal.core.outage.server_error"

urlpatterns = [
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/profile/", include("ogp_portal.users.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("ogp_portal.organisations.urls")),
    path("plans/", include("plans.urls")),
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
    path("exports/", include("ogp_portal.core.urls_exports")),
    path("notifications/", include("ogp_portal.core.urls_notifications")),
    path("", include("ogp_portal.core.urls")),
]
# Uploads are never served from MEDIA_URL, not even with DEBUG on: every file goes through
# a permission-checked download view.
