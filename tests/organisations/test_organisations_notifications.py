"""A join request reaches the organisation's admins (or the secretariat when it has none)."""

import pytest

from ogp_portal.core.models import Notification
from ogp_portal.organisations.choices import MembershipStatus
from ogp_portal.organisations.services import membership_decide, membership_request
from tests.factories import OrganisationFactory, UserFactory, join

pytestmark = pytest.mark.django_db


def notified():
    return sorted(
        Notification.objects.filter(kind="organisation.join_requested").values_list(
            "recipient__email", flat=True
        )
    )


def test_admins_hear_of_a_join_request_once(cso, cso_member, other_member_cso_member, secretariat):
    # Given a CSO with an admin, a plain member and a pending applicant
    colleague = UserFactory(email="colleague@example.org")
    join(colleague, cso)
    join(UserFactory(email="waiting@example.org"), cso, status=MembershipStatus.PENDING)
    applicant = UserFactory(email="applicant@example.org", name="Ada Applicant")
    # When someone asks to join (twice: a double click)
    membership_request(cso, actor=applicant)
    membership_request(cso, actor=applicant)
    # Then the admin is told once; not members, not admins of other organisations
    assert notified() == ["cso@example.org"]
    note = Notification.objects.get(kind="organisation.join_requested")
    assert "Ada Applicant" in note.subject
    assert note.url == cso.get_absolute_url()


def test_asking_again_after_a_decline_notifies_again(cso, cso_member):
    applicant = UserFactory(email="applicant@example.org")
    membership = membership_request(cso, actor=applicant)
    membership_decide(membership, actor=cso_member, approve=False, reason="Not staff")
    membership_request(cso, actor=applicant)
    assert notified() == ["cso@example.org", "cso@example.org"]


def test_an_organisation_without_admins_falls_back_to_the_secretariat(member, secretariat):
    org = OrganisationFactory(name="Lonely CSO", member=member)
    membership_request(org, actor=UserFactory(email="applicant@example.org"))
    assert notified() == ["secretariat@example.org"]
