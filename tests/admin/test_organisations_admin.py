"""The organisations admin: verification, membership decisions, role grants and a member's
status change only through the services, and each leaves its audit event."""

import pytest
from django.urls import reverse

from ogp_portal.core.models import AuditEvent
from ogp_portal.organisations.choices import MembershipStatus, MemberStatus, Role
from ogp_portal.organisations.models import OrganisationMembership, RoleGrant
from tests.factories import OrganisationFactory, UserFactory, grant, join

from .conftest import change_form_data

pytestmark = pytest.mark.django_db


def url(model, view, *args):
    return reverse(f"admin:organisations_{model}_{view}", args=args)


def run_action(client, model, action, *objects, **extra):
    return client.post(
        url(model, "changelist"),
        {"action": action, "_selected_action": [o.pk for o in objects], **extra},
        follow=True,
    )


# --- members ---------------------------------------------------------------------------------


def test_member_status_is_not_changed_by_the_change_form(client_for, secretariat, member):
    client = client_for(secretariat)
    page = client.get(url("member", "change", member.pk))

    response = client.post(
        url("member", "change", member.pk),
        change_form_data(page, status=MemberStatus.SUSPENDED, name="Member A renamed"),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert member.name == "Member A renamed"
    assert member.status == MemberStatus.ACTIVE
    assert not AuditEvent.objects.exists()


def test_member_status_action_asks_a_reason_then_records_the_change(
    client_for, secretariat, member
):
    client = client_for(secretariat)
    action = "set_status_under_procedural_review"

    asked = run_action(client, "member", action, member)
    empty = run_action(client, "member", action, member, apply="1", reason=" ")
    member.refresh_from_db()
    assert member.status == MemberStatus.ACTIVE
    assert "Reason" in asked.content.decode()
    assert "This field is required" in empty.content.decode()

    done = run_action(client, "member", action, member, apply="1", reason="Acted contrary")

    assert "1 member updated" in done.content.decode()
    member.refresh_from_db()
    assert member.status == MemberStatus.UNDER_PROCEDURAL_REVIEW
    event = AuditEvent.objects.get(action="organisations.member.status_changed")
    assert event.actor == secretariat
    assert event.reason == "Acted contrary"
    assert event.data == {
        "from_state": MemberStatus.ACTIVE,
        "to_state": MemberStatus.UNDER_PROCEDURAL_REVIEW,
    }


# --- organisations ---------------------------------------------------------------------------


@pytest.fixture
def unverified(member):
    return OrganisationFactory(name="New CSO", member=member, verified_at=None)


def test_verification_is_not_changed_by_the_change_form(client_for, secretariat, unverified):
    client = client_for(secretariat)
    page = client.get(url("organisation", "change", unverified.pk))
    data = change_form_data(
        page, verified_at_0="2026-01-01", verified_at_1="10:00", verified_by=secretariat.pk
    )

    assert client.post(url("organisation", "change", unverified.pk), data).status_code == 302
    unverified.refresh_from_db()
    assert unverified.verified_at is None
    assert unverified.verified_by is None


def test_verify_action_goes_through_the_service(client_for, secretariat, unverified):
    response = run_action(client_for(secretariat), "organisation", "verify", unverified)

    assert "1 organisation verified" in response.content.decode()
    unverified.refresh_from_db()
    assert unverified.verified_by == secretariat
    event = AuditEvent.objects.get(action="organisations.organisation.verified")
    assert event.actor == secretariat
    assert event.target_id == str(unverified.pk)


def test_unverify_action_needs_a_reason(client_for, secretariat, cso):
    client = client_for(secretariat)

    asked = run_action(client, "organisation", "unverify", cso)
    cso.refresh_from_db()
    assert asked.status_code == 200
    assert "Withdraw verification" in asked.content.decode()
    assert cso.is_verified

    run_action(client, "organisation", "unverify", cso, apply="1", reason="Not a CSO")

    cso.refresh_from_db()
    assert not cso.is_verified
    event = AuditEvent.objects.get(action="organisations.organisation.unverified")
    assert (event.actor, event.reason) == (secretariat, "Not a CSO")


# --- memberships -----------------------------------------------------------------------------


@pytest.fixture
def request_to_join(cso):
    return join(UserFactory(email="joiner@example.org"), cso, status=MembershipStatus.PENDING)


def test_membership_is_read_only(client_for, secretariat, request_to_join):
    client = client_for(secretariat)
    change = url("organisationmembership", "change", request_to_join.pk)
    assert client.get(change).status_code == 200  # shown, read-only

    response = client.post(change, {"status": MembershipStatus.APPROVED, "is_admin": "on"})

    assert response.status_code == 403
    assert client.get(url("organisationmembership", "add")).status_code == 403
    request_to_join.refresh_from_db()
    assert (request_to_join.status, request_to_join.is_admin) == (MembershipStatus.PENDING, False)


def test_the_organisation_page_shows_memberships_read_only(
    client_for, secretariat, cso, request_to_join
):
    client = client_for(secretariat)
    page = client.get(url("organisation", "change", cso.pk))
    data = change_form_data(page)
    data["memberships-0-status"] = MembershipStatus.APPROVED
    data["memberships-0-id"] = request_to_join.pk

    response = client.post(url("organisation", "change", cso.pk), data)

    assert response.status_code == 302
    request_to_join.refresh_from_db()
    assert request_to_join.status == MembershipStatus.PENDING


@pytest.mark.parametrize(
    ("action", "status", "is_admin", "code"),
    [
        ("approve", MembershipStatus.APPROVED, False, "approved"),
        ("approve_as_admin", MembershipStatus.APPROVED, True, "approved"),
    ],
)
def test_membership_decided_through_the_service(
    client_for, secretariat, request_to_join, action, status, is_admin, code
):
    client = client_for(secretariat)

    response = run_action(client, "organisationmembership", action, request_to_join)

    assert "1 request decided" in response.content.decode()
    request_to_join.refresh_from_db()
    assert (request_to_join.status, request_to_join.is_admin) == (status, is_admin)
    assert request_to_join.decided_by == secretariat
    event = AuditEvent.objects.get(action=f"organisations.membership.{code}")
    assert event.actor == secretariat


def test_a_decided_membership_is_refused_with_the_reason(client_for, secretariat, cso_member):
    membership = OrganisationMembership.objects.get(user=cso_member)

    response = run_action(client_for(secretariat), "organisationmembership", "approve", membership)

    assert "already been decided" in response.content.decode()
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.APPROVED
    assert not AuditEvent.objects.exists()


# --- role grants -----------------------------------------------------------------------------


def test_a_role_granted_in_the_admin_goes_through_the_service(client_for, secretariat, member):
    person = UserFactory(email="new.servant@example.org")

    response = client_for(secretariat).post(
        url("rolegrant", "add"),
        {"user": person.pk, "role": Role.CIVIL_SERVANT, "member": member.pk},
    )

    assert response.status_code == 302
    granted = RoleGrant.objects.get(user=person)
    assert (granted.role, granted.member, granted.granted_by) == (
        Role.CIVIL_SERVANT,
        member,
        secretariat,
    )
    event = AuditEvent.objects.get(action="organisations.role.granted")
    assert (event.actor, event.target_id) == (secretariat, str(granted.pk))
    assert event.data["role"] == Role.CIVIL_SERVANT
    assert event.data["after"] == {"roles": [f"civil_servant@{member.slug}"]}


def test_an_impossible_grant_is_refused_on_the_form(client_for, secretariat, member):
    person = UserFactory(email="new.servant@example.org")

    response = client_for(secretariat).post(
        url("rolegrant", "add"), {"user": person.pk, "role": Role.SECRETARIAT, "member": member.pk}
    )

    assert response.status_code == 200
    assert "The secretariat role is portal-wide" in response.content.decode()
    assert not RoleGrant.objects.filter(user=person).exists()
    assert not AuditEvent.objects.exists()


def test_granting_a_role_held_already_says_so_in_words(client_for, secretariat, member):
    person = UserFactory(email="new.servant@example.org")
    data = {"user": person.pk, "role": Role.CIVIL_SERVANT, "member": member.pk}
    client_for(secretariat).post(url("rolegrant", "add"), data)

    response = client_for(secretariat).post(url("rolegrant", "add"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "This person already holds this role." in page
    assert "rolegrant_unique" not in page
    assert RoleGrant.objects.filter(user=person).count() == 1


def test_a_grant_is_not_edited_or_deleted_in_place(client_for, secretariat, civil_servant, member):
    granted = RoleGrant.objects.get(user=civil_servant)
    client = client_for(secretariat)

    edited = client.post(
        url("rolegrant", "change", granted.pk),
        {"user": civil_servant.pk, "role": Role.MODERATOR, "member": member.pk},
    )
    deleted = client.post(url("rolegrant", "delete", granted.pk), {"post": "yes"})

    assert (edited.status_code, deleted.status_code) == (403, 403)
    granted.refresh_from_db()
    assert granted.role == Role.CIVIL_SERVANT


def test_revoke_action_goes_through_the_service(client_for, secretariat, civil_servant):
    granted = RoleGrant.objects.get(user=civil_servant)

    response = run_action(client_for(secretariat), "rolegrant", "revoke", granted)

    assert "1 role revoked" in response.content.decode()
    assert not RoleGrant.objects.filter(pk=granted.pk).exists()
    event = AuditEvent.objects.get(action="organisations.role.revoked")
    assert (event.actor, event.target_id) == (secretariat, str(granted.pk))


def test_revoking_ones_own_secretariat_role_is_refused(client_for, secretariat):
    own = RoleGrant.objects.get(user=secretariat, role=Role.SECRETARIAT)

    response = run_action(client_for(secretariat), "rolegrant", "revoke", own)

    assert "cannot remove your own secretariat role" in response.content.decode()
    assert RoleGrant.objects.filter(pk=own.pk).exists()
    assert not AuditEvent.objects.exists()


def test_a_superuser_uses_the_same_actions(client_for, superuser, member):
    other = UserFactory(email="other@example.org")
    granted = grant(other, Role.MODERATOR, member)

    run_action(client_for(superuser), "rolegrant", "revoke", granted)

    assert AuditEvent.objects.get(action="organisations.role.revoked").actor == superuser
