"""/plans/<id>/inputs/<entry>/reconsideration/ (included by ogp_portal/urls.py under plans/,
namespace reconsideration)."""

from django.urls import path

from .views import reconsideration

app_name = "reconsideration"

urlpatterns = [
    path(
        "<int:plan_pk>/inputs/<int:pk>/reconsideration/",
        reconsideration.reconsideration_view,
        name="reconsideration",
    ),
    path(
        "<int:plan_pk>/inputs/<int:pk>/reconsideration/answer/",
        reconsideration.reconsideration_answer_view,
        name="reconsideration-answer",
    ),
]
