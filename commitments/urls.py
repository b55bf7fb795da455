from django.urls import path

from ogp_portal.core.page_cache import public_page, site_scope

from . import interchange_views, views, views_closure, views_team

app_name = "commitments"

urlpatterns = [
    path("", public_page(views.CommitmentListView.as_view(), site_scope), name="commitment-list"),
    path("new/<int:plan_pk>/", views.CommitmentCreateView.as_view(), name="commitment-create"),
    path(
        "import/<int:plan_pk>/",
        interchange_views.CommitmentImportView.as_view(),
        name="commitment-import",
    ),
    path(
        "import/<int:plan_pk>/confirm/",
        interchange_views.CommitmentImportConfirmView.as_view(),
        name="commitment-import-confirm",
    ),
    path(
        "export/<int:plan_pk>.<str:fmt>",
        interchange_views.commitment_export,
        name="commitment-export",
    ),
    path("irm/<int:plan_pk>/", views_closure.plan_irm_import, name="irm-import"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path(
        "assessments/<int:pk>/evidence/",
        views_team.assessment_evidence_download,
        name="assessment-evidence",
    ),
    path(
        "<str:ogp_id>/",
        public_page(views.CommitmentDetailView.as_view(), site_scope),
        name="commitment-detail",
    ),
    path("<str:ogp_id>/edit/", views.CommitmentUpdateView.as_view(), name="commitment-edit"),
    path("<str:ogp_id>/move/", views.commitment_move, name="commitment-move"),
    path("<str:ogp_id>/withdraw/", views.commitment_withdraw, name="commitment-withdraw"),
    path(
        "<str:ogp_id>/completion/",
        views_closure.commitment_completion,
        name="commitment-completion",
    ),
    path(
        "<str:ogp_id>/carry-over/",
        views_closure.commitment_carry_over,
        name="commitment-carry-over",
    ),
    path("<str:ogp_id>/history/", views.CommitmentHistoryView.as_view(), name="commitment-history"),
    path(
        "<str:ogp_id>/milestones/new/",
        views.MilestoneCreateView.as_view(),
        name="milestone-create",
    ),
    path("milestones/<int:pk>/edit/", views.MilestoneUpdateView.as_view(), name="milestone-edit"),
    path("<str:ogp_id>/progress/", views.ProgressCreateView.as_view(), name="progress-create"),
    path("<str:ogp_id>/team/add/", views_team.partner_add, name="partner-add"),
    path("<str:ogp_id>/team/<int:pk>/remove/", views_team.partner_remove, name="partner-remove"),
    path(
        "<str:ogp_id>/monitoring/",
        public_page(views_team.MonitoringView.as_view(), site_scope),
        name="commitment-monitoring",
    ),
    path(
        "<str:ogp_id>/monitoring/assess/",
        views_team.AssessmentPublishView.as_view(),
        name="assessment-publish",
    ),
]
