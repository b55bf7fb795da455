from django.urls import path

from . import views_notifications as views

app_name = "notifications"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
    path("mark-all-read/", views.notifications_mark_all_read, name="notification-mark-all-read"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("failures/", views.EmailFailureListView.as_view(), name="failure-list"),
    path("failures/<int:pk>/resolve/", views.email_failure_resolve, name="failure-resolve"),
]
