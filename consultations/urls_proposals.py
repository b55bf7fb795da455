"""Proposals, support, comments and moderation (included by consultations/urls.py)."""

from django.urls import path

from ogp_portal.core.page_cache import public_page

from .views import acting, coalitions, comments, proposals

urlpatterns = [
    path(
        "secretariat/on-behalf-of/",
        acting.UnqualifiedOrganisationsView.as_view(),
        name="unqualified-organisations",
    ),
    path(
        "<int:consultation_pk>/proposals/",
        public_page(
            proposals.proposal_list,
            lambda kwargs: ["site", f"consultation:{kwargs['consultation_pk']}"],
        ),
        name="proposal-list",
    ),
    path(
        "<int:consultation_pk>/proposals/new/",
        proposals.ProposalFormView.as_view(),
        name="proposal-create",
    ),
    path(
        "<int:consultation_pk>/proposals/similar/",
        proposals.proposal_similar,
        name="proposal-similar",
    ),
    path(
        "proposals/<int:pk>/",
        public_page(proposals.proposal_detail, lambda kwargs: ["site", f"proposal:{kwargs['pk']}"]),
        name="proposal-detail",
    ),
    path("proposals/<int:pk>/edit/", proposals.ProposalFormView.as_view(), name="proposal-edit"),
    path("proposals/<int:pk>/support/", proposals.proposal_support, name="proposal-support"),
    path(
        "proposals/<int:pk>/cosponsors/invite/",
        coalitions.proposal_cosponsor_invite,
        name="cosponsor-invite",
    ),
    path(
        "cosponsorships/<int:pk>/answer/",
        coalitions.cosponsorship_answer,
        name="cosponsorship-answer",
    ),
    path(
        "proposals/<int:pk>/review/", proposals.ProposalReviewView.as_view(), name="proposal-review"
    ),
    path(
        "proposals/attachments/<int:pk>/",
        proposals.proposal_attachment,
        name="proposal-attachment",
    ),
    path("comments/new/", comments.comment_create, name="comment-create"),
    path("comments/<int:pk>/edit/", comments.comment_edit_view, name="comment-edit"),
    path("comments/<int:pk>/delete/", comments.comment_delete_view, name="comment-delete"),
    path("comments/<int:pk>/flag/", comments.comment_flag_view, name="comment-flag"),
    path("comments/<int:pk>/hide/", comments.comment_hide_view, name="comment-hide"),
    path("comments/<int:pk>/restore/", comments.comment_restore_view, name="comment-restore"),
    path(
        "comments/<int:pk>/dismiss-flags/",
        comments.comment_dismiss_flags_view,
        name="comment-dismiss-flags",
    ),
    path(
        "<int:consultation_pk>/moderation/",
        comments.ModerationQueueView.as_view(),
        name="moderation-queue",
    ),
    path(
        "plans/<int:plan_pk>/monitoring/moderation/",
        comments.MonitoringModerationQueueView.as_view(),
        name="monitoring-moderation-queue",
    ),
]
