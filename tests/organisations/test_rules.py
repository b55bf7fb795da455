"""The permission matrix: each role × each permission × own member / other member."""

import pytest
from django.contrib.auth.models import AnonymousUser

PERMS_ON_MEMBER = {
    "civil_servant": {"organisations.act_as_civil_servant", "organisations.view_member_workspace"},
    "commitment_lead": {
        "organisations.act_as_commitment_lead",
        "organisations.view_member_workspace",
    },
    "cso_member": {"organisations.act_as_cso", "organisations.view_member_workspace"},
    "msf_member": {"organisations.act_as_forum_member", "organisations.view_member_workspace"},
    "moderator": {"organisations.moderate_member", "organisations.view_member_workspace"},
    "secretariat": {"organisations.view_member_workspace"},
    "citizen": set(),
    "unverified_cso_member": set(),
}
ALL_MEMBER_PERMS = {
    "organisations.act_as_civil_servant",
    "organisations.act_as_commitment_lead",
    "organisations.act_as_cso",
    "organisations.act_as_forum_member",
    "organisations.moderate_member",
    "organisations.view_member_workspace",
}


@pytest.mark.parametrize("role", sorted(PERMS_ON_MEMBER))
@pytest.mark.parametrize("perm", sorted(ALL_MEMBER_PERMS))
def test_member_permissions_matrix(request, role, perm, member, other_member):
    # Given a person holding `role` in member A
    user = request.getfixturevalue(role)
    # Then they hold exactly the role's permissions on A …
    assert user.has_perm(perm, member) is (perm in PERMS_ON_MEMBER[role])
    # … and none on member B, except the portal-wide secretariat's workspace view.
    expected_on_b = role == "secretariat" and perm == "organisations.view_member_workspace"
    assert user.has_perm(perm, other_member) is expected_on_b


def test_cso_of_member_b_cannot_act_for_member_a(other_member_cso_member, member, other_member):
    assert other_member_cso_member.has_perm("organisations.act_as_cso", other_member)
    assert not other_member_cso_member.has_perm("organisations.act_as_cso", member)


def test_pending_membership_does_not_make_a_cso_representative(member, cso, citizen):
    from ogp_portal.organisations.choices import MembershipStatus
    from tests.factories import join

    join(citizen, cso, status=MembershipStatus.PENDING)
    assert not citizen.has_perm("organisations.act_as_cso", member)


def test_anonymous_may_do_nothing(member):
    anonymous = AnonymousUser()
    for perm in ALL_MEMBER_PERMS:
        assert not anonymous.has_perm(perm, member)
    assert not anonymous.has_perm("organisations.participate")


def test_unverified_email_is_not_a_citizen(db):
    from tests.factories import UserFactory

    user = UserFactory(verified=False)
    assert not user.has_perm("organisations.participate")
    assert UserFactory().has_perm("organisations.participate")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("secretariat", True), ("civil_servant", False), ("cso_member", False), ("citizen", False)],
)
def test_only_secretariat_verifies_and_grants(request, role, allowed):
    user = request.getfixturevalue(role)
    assert user.has_perm("organisations.verify_organisation") is allowed
    assert user.has_perm("organisations.grant_role") is allowed


def test_organisation_admin_manages_only_own_organisation(cso_member, cso, other_member):
    from tests.factories import OrganisationFactory

    other_org = OrganisationFactory(member=other_member)
    assert cso_member.has_perm("organisations.manage_organisation", cso)
    assert not cso_member.has_perm("organisations.manage_organisation", other_org)
