"""Open data, mounted at /open-data/ in ogp_portal/urls.py."""

from django.urls import path, re_path

from . import opendata, views_opendata

app_name = "opendata"

_DATASETS = "|".join(opendata.DATASETS)
_FORMATS = "|".join(opendata.FORMATS)

urlpatterns = [
    path("", views_opendata.opendata_index, name="index"),
    # plans.csv, commitments.json, …
    re_path(
        rf"^(?P<dataset>{_DATASETS})\.(?P<fmt>{_FORMATS})$",
        views_opendata.dataset_export,
        name="dataset-export",
    ),
]
