"""Acting for an organisation (issue #13, High 1): only approved members of a verified
civil-society (or academic, private-sector) organisation of the consultation's member may
speak for it; the form, a POST that bypasses the form, and the service all refuse the rest;
the secretariat sees what was published before the rule."""

import pytest
from django.urls import reverse

from consultations.choices import ProposalStatus
from consultations.models import Proposal
from ogp_portal.core.errors import DomainError
from ogp_portal.organisations.choices import MemberType, OrganisationKind
from tests.factories import MemberFactory, OrganisationFactory, UserFactory, join

from .test_proposals import create_url, form_data
from .test_services import make_proposal


@pytest.fixture
def lookalike_admin(member):
    """A citizen who registered a Cyrillic look-alike of a CSO's name (never verified)."""
    OrganisationFactory(name="Transparency Watch Valdoria", member=member)
    org = OrganisationFactory(
        name="\u0422ransparency Watch Valdoria", member=member, verified_at=None
    )
    user = UserFactory(email="lookalike@example.org")
    join(user, org, is_admin=True)
    return user, org


@pytest.fixture
def unverified_admin(unverified_cso_member):
    return unverified_cso_member, unverified_cso_member.memberships.get().organisation


@pytest.fixture
def city_hall_staff(db):
    """Staff of a local government's city hall (a verified agency of another member)."""
    city = MemberFactory(name="Valdoria City", slug="valdoria-city", member_type=MemberType.LOCAL)
    org = OrganisationFactory(
        name="Valdoria City Hall", member=city, kind=OrganisationKind.GOVERNMENT_AGENCY
    )
    user = UserFactory(email="staff@cityhall.example.org")
    join(user, org)
    return user, org


ATTACKS = ["lookalike_admin", "unverified_admin", "city_hall_staff"]


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("action", ["submit", "draft"])
def test_the_form_neither_offers_nor_takes_an_organisation_that_does_not_qualify(
    request, client_for, consultation, attack, action
):
    user, org = request.getfixturevalue(attack)
    client = client_for(user)
    page = client.get(create_url(consultation))
    assert [label for _, label in page.context["form"].fields["on_behalf_of"].choices] == ["Myself"]
    # A POST that names the organisation anyway (the list bypassed) saves nothing.
    response = client.post(
        create_url(consultation), form_data(on_behalf_of=str(org.pk), action=action)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["on_behalf_of"]
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("attack", ATTACKS)
def test_the_service_refuses_an_organisation_that_does_not_qualify(request, consultation, attack):
    user, org = request.getfixturevalue(attack)
    with pytest.raises(DomainError):
        make_proposal(user, consultation, organisation=org)
    assert not Proposal.objects.exists()


def test_a_verified_csos_member_still_speaks_for_it(client_for, cso_member, cso, consultation):
    client = client_for(cso_member)
    choices = client.get(create_url(consultation)).context["form"].fields["on_behalf_of"].choices
    assert [label for _, label in choices] == ["Myself", cso.name]
    response = client.post(create_url(consultation), form_data(on_behalf_of=str(cso.pk)))
    assert response.status_code == 302
    assert Proposal.objects.get().organisation == cso


def test_another_members_verified_cso_is_refused(client_for, other_member_cso_member, consultation):
    org = other_member_cso_member.memberships.get().organisation
    client = client_for(other_member_cso_member)
    response = client.post(create_url(consultation), form_data(on_behalf_of=str(org.pk)))
    assert response.status_code == 200
    assert not Proposal.objects.exists()
    with pytest.raises(DomainError, match="does not belong to this member"):
        make_proposal(other_member_cso_member, consultation, organisation=org)


# --- What was published before the rule, for the secretariat ---


def published_under(user, org, consultation, title):
    """A proposal as today's main let it be published (the service bypassed)."""
    return Proposal.objects.create(
        consultation=consultation,
        author=user,
        organisation=org,
        title=title,
        problem="Published before the rule.",
        status=ProposalStatus.SUBMITTED,
    )


def test_the_secretariat_lists_proposals_published_for_organisations_that_do_not_qualify(
    client_for,
    secretariat,
    consultation,
    lookalike_admin,
    unverified_admin,
    city_hall_staff,
    cso_member,
    cso,
):
    published_under(lookalike_admin[0], lookalike_admin[1], consultation, "Look-alike idea")
    published_under(unverified_admin[0], unverified_admin[1], consultation, "Unverified idea")
    published_under(city_hall_staff[0], city_hall_staff[1], consultation, "City hall idea")
    make_proposal(cso_member, consultation, title="Rightful idea", organisation=cso)
    outsider = UserFactory(email="outsider@example.org")
    published_under(outsider, cso, consultation, "Not a member idea")

    client = client_for(secretariat)
    assert (
        reverse("consultations:unqualified-organisations")
        in client.get(reverse("organisations:secretariat")).content.decode()
    )
    page = client.get(reverse("consultations:unqualified-organisations"))
    assert page.status_code == 200
    html = page.content.decode()
    reasons = {row.proposal.title: row.reason for row in page.context["rows"]}
    assert set(reasons) == {
        "Look-alike idea",
        "Unverified idea",
        "City hall idea",
        "Not a member idea",
    }
    assert "not verified" in reasons["Look-alike idea"]
    assert "not verified" in reasons["Unverified idea"]
    assert "Government agency" in reasons["City hall idea"]
    assert "not an approved member" in reasons["Not a member idea"]
    assert "Rightful idea" not in html
    assert "\u0422ransparency Watch Valdoria" in html
    assert "lookalike@example.org" in html


def test_only_the_secretariat_reads_that_list(client, client_for, cso_member, civil_servant):
    url = reverse("consultations:unqualified-organisations")
    assert client.get(url).status_code == 302  # to sign in
    for person in (cso_member, civil_servant):
        assert client_for(person).get(url).status_code == 403
