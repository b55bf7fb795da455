"""/plans/<id>/influence/ (included by ogp_portal/urls.py under plans/, namespace influence):
the page lives in consultations, which owns the ledger it reads."""

from django.urls import path

from ogp_portal.core.page_cache import public_page

from .views import influence


def _ledger(kwargs):
    """The page reads the plan's ledger (an input or cluster saved changes ledger:<plan>, a
    bulk write of them every plan's ledger: "ledger") and the plan's commitments."""
    return ["site", "ledger", f"ledger:{kwargs['plan_pk']}"]


app_name = "influence"

urlpatterns = [
    path(
        "<int:plan_pk>/influence/",
        public_page(influence.plan_influence_view, _ledger),
        name="plan-influence",
    ),
]
