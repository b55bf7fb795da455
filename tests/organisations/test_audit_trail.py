"""The secretariat reads the audit trail (in the admin, read-only), filtered by kind, object
type and actor; role grants and verifications record what was before and after."""

import pytest
from django.urls import reverse

from ogp_portal.core.models import AuditEvent
from ogp_portal.organisations.choices import Role
from ogp_portal.organisations.models import Organisation, RoleGrant

pytestmark = pytest.mark.django_db
TRAIL = "/admin/core/auditevent/"


def test_the_secretariat_reads_and_filters_the_audit_trail(
    client_for, secretariat, citizen, member
):
    client = client_for(secretariat)
    # Given a role grant made through the secretariat's page
    client.post(
        reverse("organisations:role-grant"),
        {"email": citizen.email, "role": Role.CIVIL_SERVANT, "member": member.pk},
    )
    event = AuditEvent.objects.get(action="organisations.role.granted")

    # When the secretariat opens the audit trail, filtered by kind, object type and actor
    listing = client.get(TRAIL)
    filtered = client.get(
        TRAIL,
        {
            "action": event.action,
            "target_type": event.target_type,
            "actor__id__exact": secretariat.pk,
        },
    )
    detail = client.get(f"{TRAIL}{event.pk}/change/")

    # Then they see it, and the event shows the roles before and after
    assert listing.status_code == 200
    assert filtered.status_code == 200
    assert str(event.target_repr) in filtered.content.decode()
    assert detail.status_code == 200
    assert f"civil_servant@{member.slug}" in detail.content.decode()
    # and it stays read-only
    assert client.post(f"{TRAIL}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("role", ["citizen", "civil_servant", "cso_member", "moderator"])
def test_nobody_else_reads_the_audit_trail(request, client_for, role):
    user = request.getfixturevalue(role)
    user.is_staff = True  # even with admin access in general
    user.save()
    assert client_for(user).get(TRAIL).status_code == 403


def test_role_grant_and_revoke_record_before_and_after(client_for, secretariat, citizen, member):
    client = client_for(secretariat)
    client.post(
        reverse("organisations:role-grant"),
        {"email": citizen.email, "role": Role.CIVIL_SERVANT, "member": member.pk},
    )
    grant = RoleGrant.objects.get(user=citizen)
    client.post(reverse("organisations:role-revoke", args=[grant.pk]))

    granted = AuditEvent.objects.get(action="organisations.role.granted").data
    revoked = AuditEvent.objects.get(action="organisations.role.revoked").data
    role = f"civil_servant@{member.slug}"
    assert (granted["before"], granted["after"]) == ({"roles": []}, {"roles": [role]})
    assert (revoked["before"], revoked["after"]) == ({"roles": [role]}, {"roles": []})


def test_verification_records_before_and_after(client_for, secretariat, unverified_cso_member):
    organisation = Organisation.objects.get(name="New CSO")
    client_for(secretariat).post(
        reverse("organisations:organisation-verify", args=[organisation.pk])
    )

    data = AuditEvent.objects.get(action="organisations.organisation.verified").data
    assert data["before"] == {"verified": False, "verified_at": None}
    assert data["after"]["verified"] is True
    assert data["after"]["verified_at"]
