from django.urls import path

from ogp_portal.core.page_cache import public_page, site_scope

from . import views

app_name = "plans"

urlpatterns = [
    path("", public_page(views.PlanListView.as_view(), site_scope), name="plan-list"),
    path("new/", views.PlanCreateView.as_view(), name="plan-create"),
    path("<int:pk>/", public_page(views.PlanDetailView.as_view(), site_scope), name="plan-detail"),
    path("<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan-edit"),
    path("<int:pk>/transition/", views.plan_transition, name="plan-transition"),
    path(
        "<int:pk>/transition/<str:to>/",
        views.plan_transition_confirm,
        name="plan-transition-confirm",
    ),
    path("<int:pk>/history/", views.PlanHistoryView.as_view(), name="plan-history"),
    path(
        "<int:plan_pk>/policy-areas/new/",
        views.PolicyAreaFormView.as_view(),
        name="policyarea-create",
    ),
    path("policy-areas/<int:pk>/edit/", views.PolicyAreaFormView.as_view(), name="policyarea-edit"),
]
