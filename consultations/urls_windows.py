"""Consultation windows: list, detail, set-up screens, answers, reminders and the report."""

from django.urls import path

from ogp_portal.core.page_cache import public_page, site_scope

from .views import answers, report, window_setup
from .views import windows as views


def _consultation(kwargs):
    """A consultation's page shows its proposals and answers: it changes with them."""
    return ["site", f"consultation:{kwargs['pk']}"]


urlpatterns = [
    path(
        "", public_page(views.ConsultationListView.as_view(), site_scope), name="consultation-list"
    ),
    path(
        "<int:pk>/",
        public_page(views.consultation_detail, _consultation),
        name="consultation-detail",
    ),
    path(
        "<int:pk>/moderation-log/",
        public_page(views.moderation_log, _consultation),
        name="consultation-moderation-log",
    ),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("offline/<int:pk>/minutes/", views.offline_minutes_download, name="offline-minutes"),
    path(
        "new/plan/<int:plan_pk>/",
        window_setup.ConsultationCreateView.as_view(),
        name="consultation-create",
    ),
    path("<int:pk>/edit/", window_setup.ConsultationUpdateView.as_view(), name="consultation-edit"),
    path("<int:pk>/notice/", window_setup.consultation_notice, name="consultation-notice"),
    path(
        "<int:pk>/documents/new/",
        window_setup.DocumentAddView.as_view(),
        name="consultation-document-add",
    ),
    path("<int:pk>/questions/new/", window_setup.QuestionAddView.as_view(), name="question-add"),
    path("questions/<int:pk>/answer/", answers.answer_submit, name="answer-submit"),
    path("<int:pk>/answers/respond/", answers.AnswersRespondView.as_view(), name="answers-respond"),
    path(
        "<int:pk>/offline-events/new/",
        window_setup.OfflineEventAddView.as_view(),
        name="offline-event-add",
    ),
    path("<int:pk>/remind-me/", views.reminder_signup, name="reminder-signup"),
    path(
        "<int:pk>/report/",
        public_page(report.consultation_report, _consultation),
        name="consultation-report",
    ),
    path("<int:pk>/report.csv", report.consultation_report_csv, name="consultation-report-csv"),
]
