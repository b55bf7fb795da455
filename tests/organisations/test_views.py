"""Pages for members, organisations and the secretariat, tested from outside: each role sees
and does only what it may, bad input keeps what was typed, double submits do nothing twice."""

import pytest
from django.urls import reverse

from ogp_portal.core.models import AuditEvent
from ogp_portal.organisations.choices import MembershipStatus, Role
from ogp_portal.organisations.models import Organisation, OrganisationMembership, RoleGrant
from tests.factories import MemberFactory, OrganisationFactory, UserFactory, join

pytestmark = pytest.mark.django_db


def workspace_url(member):
    return reverse("organisations:member-workspace", args=[member.slug])


# --- member workspace: who may act for which member -------------------------------------------


@pytest.mark.parametrize(
    "role", ["civil_servant", "commitment_lead", "cso_member", "msf_member", "moderator"]
)
def test_member_roles_open_their_own_workspace(request, client_for, role, member):
    client = client_for(request.getfixturevalue(role))
    response = client.get(workspace_url(member))
    assert response.status_code == 200
    assert "What you can do" in response.content.decode()


@pytest.mark.parametrize(
    "role", ["civil_servant", "cso_member", "citizen", "unverified_cso_member"]
)
def test_no_workspace_in_another_member(request, client_for, role, other_member):
    client = client_for(request.getfixturevalue(role))
    assert client.get(workspace_url(other_member)).status_code == 403


def test_cso_representative_of_b_cannot_act_for_a(client_for, other_member_cso_member, member):
    assert client_for(other_member_cso_member).get(workspace_url(member)).status_code == 403


def test_unverified_cso_cannot_act_as_cso_until_verified(
    client_for, unverified_cso_member, member, secretariat
):
    client = client_for(unverified_cso_member)
    assert client.get(workspace_url(member)).status_code == 403
    # When the secretariat verifies the organisation, the same person may act as a CSO
    org = Organisation.objects.get(name="New CSO")
    client_for(secretariat).post(reverse("organisations:organisation-verify", args=[org.pk]))
    client = client_for(unverified_cso_member)
    page = client.get(workspace_url(member)).content.decode()
    assert "Submit commitment proposals" in page


def test_anonymous_is_sent_to_login(client, member):
    response = client.get(workspace_url(member))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_workspace_lists_only_what_the_role_may_do(client_for, civil_servant, member):
    page = client_for(civil_servant).get(workspace_url(member)).content.decode()
    assert "Draft action plans and commitments" in page
    assert "Submit commitment proposals" not in page
    assert "Moderate comments" not in page


# --- secretariat -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", ["citizen", "civil_servant", "cso_member", "msf_member", "moderator"]
)
def test_only_the_secretariat_opens_the_secretariat_page(request, client_for, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("organisations:secretariat")).status_code == 403
    response = client.post(
        reverse("organisations:role-grant"),
        {"email": "citizen@example.org", "role": Role.CIVIL_SERVANT},
    )
    assert response.status_code == 403


def test_secretariat_grants_a_role_and_it_takes_effect(client_for, secretariat, citizen, member):
    client = client_for(secretariat)
    response = client.post(
        reverse("organisations:role-grant"),
        {"email": "CITIZEN@example.org", "role": Role.CIVIL_SERVANT, "member": member.pk},
    )
    assert response.status_code == 302
    grant = RoleGrant.objects.get(user=citizen)
    assert (grant.role, grant.member, grant.granted_by) == (Role.CIVIL_SERVANT, member, secretariat)
    assert AuditEvent.objects.filter(action="organisations.role.granted").count() == 1
    # The person now has the role on the next request
    assert client_for(citizen).get(workspace_url(member)).status_code == 200


def test_granting_twice_keeps_one_grant(client_for, secretariat, citizen, member):
    client = client_for(secretariat)
    data = {"email": citizen.email, "role": Role.MODERATOR, "member": member.pk}
    client.post(reverse("organisations:role-grant"), data)
    client.post(reverse("organisations:role-grant"), data)
    assert RoleGrant.objects.filter(user=citizen).count() == 1


def test_grant_form_errors_keep_the_input(client_for, secretariat):
    client = client_for(secretariat)
    response = client.post(
        reverse("organisations:role-grant"),
        {"email": "nobody@example.org", "role": Role.CIVIL_SERVANT},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "No account uses this address" in page
    assert 'value="nobody@example.org"' in page
    assert "Choose the member this role is for" in page
    assert not RoleGrant.objects.filter(role=Role.CIVIL_SERVANT).exists()


def test_secretariat_role_cannot_be_tied_to_a_member(client_for, secretariat, citizen, member):
    response = client_for(secretariat).post(
        reverse("organisations:role-grant"),
        {"email": citizen.email, "role": Role.SECRETARIAT, "member": member.pk},
    )
    assert response.status_code == 400
    assert "portal-wide" in response.content.decode()


def test_secretariat_revokes_a_role(client_for, secretariat, civil_servant, member):
    grant = RoleGrant.objects.get(user=civil_servant)
    client_for(secretariat).post(reverse("organisations:role-revoke", args=[grant.pk]))
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    assert client_for(civil_servant).get(workspace_url(member)).status_code == 403


def test_withdrawing_verification_needs_a_reason(client_for, secretariat, cso, cso_member, member):
    client = client_for(secretariat)
    client.post(reverse("organisations:organisation-unverify", args=[cso.pk]), {"reason": ""})
    cso.refresh_from_db()
    assert cso.is_verified
    client.post(
        reverse("organisations:organisation-unverify", args=[cso.pk]),
        {"reason": "Registration documents were forged."},
    )
    cso.refresh_from_db()
    assert not cso.is_verified
    event = AuditEvent.objects.get(action="organisations.organisation.unverified")
    assert event.reason == "Registration documents were forged."
    assert not cso_member.has_perm("organisations.act_as_cso", member)


def test_secretariat_page_queries_are_bounded(
    client_for, secretariat, member, django_assert_max_num_queries
):
    for i in range(30):
        org = OrganisationFactory(member=member, verified_at=None, name=f"Pending {i}")
        join(UserFactory(), org, is_admin=True)
        RoleGrant.objects.create(user=UserFactory(), member=member, role=Role.MODERATOR)
    client = client_for(secretariat)
    # 15, plus the to-dos at the top: organisations to verify (a page and its count),
    # undelivered e-mails and flagged comments (one each).
    with django_assert_max_num_queries(19):
        response = client.get(reverse("organisations:secretariat"))
    assert response.status_code == 200
    assert response.content.decode().count("Verify Pending") == 30


# --- organisations: register, join, approve ----------------------------------------------------


def test_register_organisation_waits_for_verification(client_for, citizen, member):
    client = client_for(citizen)
    response = client.post(
        reverse("organisations:organisation-register"),
        {"name": "Open Rivers", "kind": "cso", "member": member.pk, "description": "Water data"},
    )
    org = Organisation.objects.get(name="Open Rivers")
    assert response.status_code == 302
    assert not org.is_verified
    assert OrganisationMembership.objects.get(organisation=org, user=citizen).is_admin
    # Until verified, its admin cannot act as a CSO
    assert not citizen.has_perm("organisations.act_as_cso", member)
    # And it is not listed publicly yet
    listing = client.get(reverse("organisations:organisation-list")).content.decode()
    assert "Open Rivers</bdi></a>" not in listing


def test_register_form_errors_keep_the_input(client_for, citizen, cso, member):
    response = client_for(citizen).post(
        reverse("organisations:organisation-register"),
        {"name": cso.name, "kind": "cso", "member": member.pk, "website_url": "not a url"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "already registered" in page
    assert f'value="{cso.name}"' in page
    assert Organisation.objects.filter(name=cso.name).count() == 1


def test_join_request_double_submit_creates_one_request(client_for, citizen, cso):
    client = client_for(citizen)
    url = reverse("organisations:organisation-join", args=[cso.pk])
    client.post(url)
    client.post(url)
    assert OrganisationMembership.objects.filter(user=citizen, organisation=cso).count() == 1


def test_org_admin_approves_a_colleague(client_for, cso_member, citizen, cso, member):
    client_for(citizen).post(reverse("organisations:organisation-join", args=[cso.pk]))
    request = OrganisationMembership.objects.get(user=citizen, organisation=cso)
    assert request.status == MembershipStatus.PENDING
    assert not citizen.has_perm("organisations.act_as_cso", member)

    client = client_for(cso_member)
    page = client.get(cso.get_absolute_url()).content.decode()
    assert f"Approve {citizen}" in page
    client.post(
        reverse("organisations:membership-decide", args=[request.pk]), {"decision": "approve"}
    )
    request.refresh_from_db()
    assert request.status == MembershipStatus.APPROVED
    assert request.decided_by == cso_member
    # (a fresh load of the person, as on their next request)
    assert type(citizen).objects.get(pk=citizen.pk).has_perm("organisations.act_as_cso", member)


def test_admin_of_another_organisation_cannot_approve(
    client_for, other_member_cso_member, citizen, cso
):
    client_for(citizen).post(reverse("organisations:organisation-join", args=[cso.pk]))
    request = OrganisationMembership.objects.get(user=citizen, organisation=cso)
    client = client_for(other_member_cso_member)
    assert f"Approve {citizen}" not in client.get(cso.get_absolute_url()).content.decode()
    response = client.post(
        reverse("organisations:membership-decide", args=[request.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == MembershipStatus.PENDING


def test_deciding_twice_is_refused_with_a_message(client_for, cso_member, citizen, cso):
    request = join(citizen, cso, status=MembershipStatus.PENDING)
    client = client_for(cso_member)
    url = reverse("organisations:membership-decide", args=[request.pk])
    decline = reverse("organisations:membership-decline", args=[request.pk])
    client.post(decline, {"reason": "Not staff"})
    response = client.post(url, {"decision": "approve"}, follow=True)
    request.refresh_from_db()
    assert request.status == MembershipStatus.REJECTED
    assert "already been decided" in response.content.decode()


# --- public pages ------------------------------------------------------------------------------


def test_public_pages_queries_do_not_grow_with_data(client, django_assert_max_num_queries):
    for i in range(3):
        m = MemberFactory()
        for j in range(20):
            OrganisationFactory(member=m, name=f"Org {i}-{j}")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("organisations:member-list")).status_code == 200
    with django_assert_max_num_queries(6):
        response = client.get(reverse("organisations:organisation-list"))
        assert response.status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(m.get_absolute_url()).status_code == 200


def test_organisation_list_filters_by_member(client, member, other_member):
    OrganisationFactory(member=member, name="Alpha Watch")
    OrganisationFactory(member=other_member, name="Beta Watch")
    page = client.get(
        reverse("organisations:organisation-list"), {"member": member.pk}
    ).content.decode()
    assert "Alpha Watch" in page
    assert "Beta Watch" not in page


def test_audit_record_is_in_the_base_language_whatever_the_actor_browses_in(
    client_for, secretariat, citizen, member
):
    client = client_for(secretariat)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    client.post(
        reverse("organisations:role-grant"),
        {"email": citizen.email, "role": Role.MODERATOR, "member": member.pk},
    )
    event = AuditEvent.objects.get(action="organisations.role.granted")
    assert "Moderator" in event.target_repr


def test_secretariat_cannot_remove_its_own_role(client_for, secretariat):
    grant = RoleGrant.objects.get(user=secretariat, role=Role.SECRETARIAT)
    response = client_for(secretariat).post(
        reverse("organisations:role-revoke", args=[grant.pk]), follow=True
    )
    assert "cannot remove your own secretariat role" in response.content.decode()
    assert RoleGrant.objects.filter(pk=grant.pk).exists()
