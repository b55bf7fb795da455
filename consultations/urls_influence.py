"""/plans/<id>/influence/ (included by ogp_portal/urls.py under plans/, namespace influence):
the page lives in consultations, which owns the ledger it reads."""

from django.urls import path

from ogp_portal.core.page_cache import public_page

from .page_scopes import ledger_page_scopes
from .views import influence

app_name = "influence"

urlpatterns = [
    path(
        "<int:plan_pk>/influence/",
        public_page(influence.plan_influence_view, ledger_page_scopes),
        name="plan-influence",
    ),
]
