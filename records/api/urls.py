"""The public read API, mounted at /api/v1/ in ogp_portal/urls.py."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from . import views
from .base import api_not_found
from .docs import api_docs

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("members", views.MemberViewSet, basename="member")
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("plans", views.PlanViewSet, basename="plan")
router.register("policy-areas", views.PolicyAreaViewSet, basename="policy-area")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("progress-updates", views.ProgressUpdateViewSet, basename="progress-update")
router.register("consultations", views.ConsultationViewSet, basename="consultation")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("answers", views.AnswerViewSet, basename="answer")
router.register("inputs", views.InputViewSet, basename="input")
router.register("forums", views.ForumViewSet, basename="forum")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("decisions", views.DecisionViewSet, basename="decision")
router.register("seats", views.SeatViewSet, basename="seat")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The schema for people: the portal's own page (records/api/docs.py), translated, right
    # to left in Arabic and without script.
    path("docs/", api_docs, name="docs"),
    path("", include(router.urls)),
    re_path(r"^(?P<path>.*)$", api_not_found, name="not-found"),
]
