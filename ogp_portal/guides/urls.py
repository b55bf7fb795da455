from django.urls import path

from ogp_portal.core.page_cache import public_page, site_scope

from . import views

app_name = "guides"

urlpatterns = [
    path("take-part/", public_page(views.TakePartView.as_view(), site_scope), name="take-part"),
    path(
        "take-part/<slug:audience>/",
        public_page(views.GuideView.as_view(), site_scope),
        name="guide",
    ),
    path(
        "resources/",
        public_page(views.ResourceListView.as_view(), site_scope),
        name="resource-list",
    ),
    path("resources/new/", views.ResourceFormView.as_view(), name="resource-create"),
    path("resources/<int:pk>/edit/", views.ResourceFormView.as_view(), name="resource-edit"),
    path(
        "resources/<int:pk>/history/",
        views.ResourceHistoryView.as_view(),
        name="resource-history",
    ),
]
