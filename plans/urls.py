from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan-list"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
]
