from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("", views.ProfileView.as_view(), name="profile"),
    path("data/", views.DataExportView.as_view(), name="data-export"),
    path("delete/", views.AccountDeleteView.as_view(), name="account-delete"),
]
