from django.urls import path

from . import views, views_profile

app_name = "organisations"

urlpatterns = [
    path(
        "accounts/about-you/",
        views_profile.PersonProfileView.as_view(),
        name="person-profile",
    ),
    path("members/", views.MemberListView.as_view(), name="member-list"),
    path("members/<slug:slug>/", views.MemberDetailView.as_view(), name="member-detail"),
    path(
        "members/<slug:slug>/workspace/",
        views.MemberWorkspaceView.as_view(),
        name="member-workspace",
    ),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path(
        "organisations/register/",
        views.OrganisationRegisterView.as_view(),
        name="organisation-register",
    ),
    path("organisations/mine/", views.MyOrganisationsView.as_view(), name="organisation-mine"),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path("organisations/<int:pk>/join/", views.organisation_join, name="organisation-join"),
    path(
        "organisations/memberships/<int:pk>/decide/",
        views.membership_decide,
        name="membership-decide",
    ),
    path(
        "organisations/memberships/<int:pk>/decline/",
        views.membership_decline,
        name="membership-decline",
    ),
    path(
        "secretariat/organisations/<int:pk>/reject/",
        views.organisation_reject,
        name="organisation-reject",
    ),
    path("secretariat/", views.SecretariatView.as_view(), name="secretariat"),
    path("secretariat/roles/grant/", views.RoleGrantView.as_view(), name="role-grant"),
    path("secretariat/roles/<int:pk>/revoke/", views.role_revoke, name="role-revoke"),
    path(
        "secretariat/organisations/<int:pk>/verify/",
        views.organisation_verify,
        name="organisation-verify",
    ),
    path(
        "secretariat/organisations/<int:pk>/unverify/",
        views.organisation_unverify,
        name="organisation-unverify",
    ),
]
