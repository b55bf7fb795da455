from django.urls import path

from ogp_portal.core.page_cache import public_page, site_scope

from . import views

app_name = "core"

urlpatterns = [
    path("", public_page(views.HomeView.as_view(), site_scope), name="home"),
    path("privacy/", views.PrivacyView.as_view(), name="privacy"),
]
