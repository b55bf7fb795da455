"""/plans/<id>/influence/ (included by ogp_portal/urls.py under plans/, namespace influence):
the page lives in consultations, which owns the ledger it reads."""

from django.urls import path

from .views import influence

app_name = "influence"

urlpatterns = [
    path("<int:plan_pk>/influence/", influence.plan_influence_view, name="plan-influence"),
]
