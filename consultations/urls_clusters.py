"""Groups of inputs, under /plans/<plan_pk>/inputs/clusters/ (namespace clusters)."""

from django.urls import path

from .views import clusters

app_name = "clusters"

urlpatterns = [
    path("", clusters.cluster_list, name="cluster-list"),
    path("suggest/", clusters.cluster_suggest, name="cluster-suggest"),
    path("jobs/<int:pk>/", clusters.job_detail, name="job-detail"),
    path("<int:pk>/", clusters.cluster_detail, name="cluster-detail"),
    path("<int:pk>/<str:action>/", clusters.cluster_action, name="cluster-action"),
]
