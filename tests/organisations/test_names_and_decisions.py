"""Issue #13, medium findings on names and decisions, driven over HTTP:

- organisation and display names with invisible or bidi control characters are refused;
- a look-alike (Unicode confusable skeleton) of a registered organisation name is refused;
- user-chosen names are shown bidi-isolated;
- the secretariat rejects a pending organisation with a reason, after a confirmation page,
  and its admin is notified;
- an organisation admin declines a join request with a reason, after a confirmation page,
  and the person is notified.
"""

import pytest
from django.urls import reverse

from ogp_portal.core.models import AuditEvent, Notification
from ogp_portal.organisations.choices import MembershipStatus
from ogp_portal.organisations.models import Organisation, OrganisationMembership
from tests.factories import OrganisationFactory, UserFactory, join

pytestmark = pytest.mark.django_db

REGISTER = "organisations:organisation-register"


def register(client, member, name):
    return client.post(reverse(REGISTER), {"name": name, "kind": "cso", "member": member.pk})


# --- invisible and bidi characters -------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Open\u200bRivers",  # zero-width space
        "Open\u200cRivers",
        "Open\u200dRivers",
        "Open\u2060Rivers",  # word joiner
        "\ufeffOpen Rivers",  # byte-order mark
        "Open Rivers \u202e",  # right-to-left override
        "\u2067Open Rivers\u2069",  # isolates
    ],
)
def test_an_organisation_name_with_invisible_characters_is_refused(
    client_for, citizen, member, name
):
    response = register(client_for(citizen), member, name)

    assert response.status_code == 200
    assert "invisible or text-direction control characters" in response.content.decode()
    assert not Organisation.objects.filter(name=name).exists()


def test_a_plain_name_is_still_accepted(client_for, citizen, member):
    response = register(client_for(citizen), member, "Ríos Abiertos – Καθαρό Νερό")

    assert response.status_code == 302
    assert Organisation.objects.filter(name="Ríos Abiertos – Καθαρό Νερό").exists()


@pytest.mark.parametrize("name", ["Ada\u202eLovelace", "Ada\r\nLovelace", "Ada\u200b"])
def test_a_display_name_with_controls_or_line_breaks_is_refused(client_for, citizen, name):
    response = client_for(citizen).post(
        reverse("users:profile"), {"name": name, "preferred_language": "en"}
    )

    assert response.status_code == 200
    assert "invisible or text-direction control characters" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.name != name


def test_a_plain_display_name_is_saved(client_for, citizen):
    response = client_for(citizen).post(
        reverse("users:profile"), {"name": "عائشة Lovelace", "preferred_language": "en"}
    )

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.name == "عائشة Lovelace"


# --- look-alikes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "look_alike",
    [
        "\u0422ransparency Watch Valdoria",  # Cyrillic Т
        "Transparency W\u0430tch Valdoria",  # Cyrillic а
        "TRANSPARENCY  WATCH  VALDORIA",  # case and spacing
        "Transparency Watch Vald\u03bfria",  # Greek ο
    ],
)
def test_a_look_alike_of_a_registered_name_is_refused(client_for, citizen, member, look_alike):
    OrganisationFactory(name="Transparency Watch Valdoria", member=member)

    response = register(client_for(citizen), member, look_alike)

    assert response.status_code == 200
    assert "looks like that of Transparency Watch Valdoria" in response.content.decode()
    assert Organisation.objects.filter(member=member).count() == 1


def test_a_look_alike_of_an_international_name_is_refused(client_for, citizen, member):
    OrganisationFactory(name="Transparency International", member=None)

    response = register(client_for(citizen), member, "Transparency \u0406nternational")

    assert "looks like that of Transparency International" in response.content.decode()


def test_a_different_name_is_accepted(client_for, citizen, member):
    OrganisationFactory(name="Transparency Watch Valdoria", member=member)

    response = register(client_for(citizen), member, "Transparency Watch Norland")

    assert response.status_code == 302


# --- bidi isolation ----------------------------------------------------------------------------


def test_user_chosen_names_are_bidi_isolated(client, member):
    org = OrganisationFactory(name="منظمة الشفافية", member=member)

    detail = client.get(org.get_absolute_url()).content.decode()
    listing = client.get(reverse("organisations:organisation-list")).content.decode()

    assert "<h1><bdi>منظمة الشفافية</bdi></h1>" in detail
    assert "<bdi>منظمة الشفافية</bdi></a>" in listing


def test_a_bidi_isolated_name_is_still_escaped(client, member):
    org = OrganisationFactory(name="<b>Bold</b> CSO", member=member)

    page = client.get(org.get_absolute_url()).content.decode()

    assert "<bdi>&lt;b&gt;Bold&lt;/b&gt; CSO</bdi>" in page


# --- the secretariat rejects a pending organisation --------------------------------------------


@pytest.fixture
def pending(member):
    org = OrganisationFactory(name="Open Rivers", member=member, verified_at=None)
    join(UserFactory(email="rivers@example.org"), org, is_admin=True)
    return org


def test_secretariat_rejects_with_a_reason_after_confirmation(client_for, secretariat, pending):
    client = client_for(secretariat)
    url = reverse("organisations:organisation-reject", args=[pending.pk])
    # Given the secretariat's queue links to a confirmation page
    assert url in client.get(reverse("organisations:secretariat")).content.decode()
    confirmation = client.get(url)
    assert confirmation.status_code == 200
    assert "Reject the organisation" in confirmation.content.decode()
    pending.refresh_from_db()
    assert pending.rejected_at is None  # showing the page changes nothing

    # When it confirms without a reason, nothing happens
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    pending.refresh_from_db()
    assert pending.rejected_at is None

    # When it confirms with a reason
    response = client.post(url, {"reason": "No such registered association."}, follow=True)

    # Then the organisation is rejected, off the queue, audited, and its admin is told why
    pending.refresh_from_db()
    assert pending.rejected_at is not None
    assert pending.rejection_reason == "No such registered association."
    assert "Open Rivers</bdi></a>" not in response.content.decode().split("verify-heading")[1]
    event = AuditEvent.objects.get(action="organisations.organisation.rejected")
    assert event.reason == "No such registered association."
    note = Notification.objects.get(kind="organisation.rejected")
    assert note.recipient.email == "rivers@example.org"
    assert "Open Rivers" in note.subject
    assert "No such registered association." in note.body


def test_rejecting_twice_is_refused(client_for, secretariat, pending):
    client = client_for(secretariat)
    url = reverse("organisations:organisation-reject", args=[pending.pk])
    client.post(url, {"reason": "Unknown"})

    response = client.post(url, {"reason": "Again"}, follow=True)

    assert "no longer waiting" in response.content.decode()
    assert Notification.objects.filter(kind="organisation.rejected").count() == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_secretariat_may_reject(client_for, cso_member, pending, method):
    url = reverse("organisations:organisation-reject", args=[pending.pk])

    response = getattr(client_for(cso_member), method)(url, {"reason": "Spite"})

    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.rejected_at is None


def test_anonymous_people_are_sent_to_sign_in_to_reject(client, pending):
    response = client.get(reverse("organisations:organisation-reject", args=[pending.pk]))

    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- an organisation admin declines a join request ---------------------------------------------


@pytest.fixture
def request_to_join(cso):
    person = UserFactory(email="applicant@example.org", name="Ada Applicant")
    return join(person, cso, status=MembershipStatus.PENDING)


def test_admin_declines_with_a_reason_after_confirmation(client_for, cso_member, request_to_join):
    client = client_for(cso_member)
    cso = request_to_join.organisation
    url = reverse("organisations:membership-decline", args=[request_to_join.pk])
    # Given the organisation's page links to a confirmation page, and the old one-click
    # decline now leads there instead of declining
    assert url in client.get(cso.get_absolute_url()).content.decode()
    response = client.post(
        reverse("organisations:membership-decide", args=[request_to_join.pk]),
        {"decision": "decline"},
    )
    assert response.status_code == 302
    assert response["Location"] == url
    request_to_join.refresh_from_db()
    assert request_to_join.status == MembershipStatus.PENDING
    assert "Decline the request" in client.get(url).content.decode()

    # When the admin confirms without a reason, nothing happens
    assert client.post(url, {"reason": ""}).status_code == 400
    request_to_join.refresh_from_db()
    assert request_to_join.status == MembershipStatus.PENDING

    # When the admin confirms with a reason
    response = client.post(url, {"reason": "We only take staff."})

    # Then the request is declined, audited with the reason, and the person is told why
    assert response.status_code == 302
    request_to_join.refresh_from_db()
    assert request_to_join.status == MembershipStatus.REJECTED
    assert request_to_join.decision_reason == "We only take staff."
    event = AuditEvent.objects.get(action="organisations.membership.declined")
    assert event.reason == "We only take staff."
    note = Notification.objects.get(kind="organisation.join_declined")
    assert note.recipient.email == "applicant@example.org"
    assert "Watchdog A" in note.subject
    assert "We only take staff." in note.body


def test_approving_notifies_no_decline(client_for, cso_member, request_to_join):
    client_for(cso_member).post(
        reverse("organisations:membership-decide", args=[request_to_join.pk]),
        {"decision": "approve"},
    )

    request_to_join.refresh_from_db()
    assert request_to_join.status == MembershipStatus.APPROVED
    assert not Notification.objects.filter(kind="organisation.join_declined").exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_admin_of_another_organisation_may_not_decline(
    client_for, other_member_cso_member, request_to_join, method
):
    url = reverse("organisations:membership-decline", args=[request_to_join.pk])

    response = getattr(client_for(other_member_cso_member), method)(url, {"reason": "No"})

    assert response.status_code == 403
    request_to_join.refresh_from_db()
    assert request_to_join.status == MembershipStatus.PENDING
    assert not Notification.objects.filter(kind="organisation.join_declined").exists()


def test_a_plain_member_may_not_decline(client_for, request_to_join):
    colleague = UserFactory(email="colleague@example.org")
    join(colleague, request_to_join.organisation)
    url = reverse("organisations:membership-decline", args=[request_to_join.pk])

    assert client_for(colleague).post(url, {"reason": "No"}).status_code == 403
    assert OrganisationMembership.objects.get(pk=request_to_join.pk).status == "pending"


def test_the_secretariat_may_decline(client_for, secretariat, request_to_join):
    url = reverse("organisations:membership-decline", args=[request_to_join.pk])

    client_for(secretariat).post(url, {"reason": "Duplicate account."})

    request_to_join.refresh_from_db()
    assert request_to_join.status == MembershipStatus.REJECTED
