"""The access summary every permission reads, loaded in one query: what it says about each
grant, membership and address."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser

from ogp_portal.organisations.access import access_for
from ogp_portal.organisations.choices import MembershipStatus, OrganisationKind, Role
from tests.factories import MemberFactory, OrganisationFactory, UserFactory, grant, join


def test_the_summary_holds_each_grant_membership_and_address(db, django_assert_num_queries):
    # Given a person with roles in two members, approved and pending memberships in
    # verified and unverified organisations of both kinds, admin of some
    member_a, member_b = MemberFactory(), MemberFactory()
    person = UserFactory()
    grant(person, Role.CIVIL_SERVANT, member_a)
    grant(person, Role.FORUM_MEMBER, member_b)
    verified_cso = OrganisationFactory(member=member_a, kind=OrganisationKind.CSO)
    unverified_cso = OrganisationFactory(member=member_b, verified_at=None)
    agency = OrganisationFactory(member=member_b, kind=OrganisationKind.GOVERNMENT_AGENCY)
    pending_cso = OrganisationFactory(member=member_b, kind=OrganisationKind.CSO)
    join(person, verified_cso, is_admin=True)
    join(person, unverified_cso)
    join(person, agency, is_admin=True)
    join(person, pending_cso, is_admin=True, status=MembershipStatus.PENDING)

    # When the summary is read, in one query, and asked again, in none
    with django_assert_num_queries(1):
        access = access_for(person)
    with django_assert_num_queries(0):
        assert access_for(person) is access

    # Then it says what the rows say
    assert access.email_verified
    assert not access.is_secretariat
    assert access.member_roles == {
        (member_a.pk, Role.CIVIL_SERVANT),
        (member_b.pk, Role.FORUM_MEMBER),
    }
    assert access.cso_member_ids == {member_a.pk}
    assert access.admin_organisation_ids == {verified_cso.pk, agency.pk}
    assert access.approved_organisation_ids == {verified_cso.pk, unverified_cso.pk, agency.pk}


def test_a_secretariat_member_without_a_verified_address(db):
    person = UserFactory(verified=False)
    EmailAddress.objects.create(user=person, email="other@example.org", verified=False)
    grant(person, Role.SECRETARIAT)

    access = access_for(person)

    assert access.is_secretariat
    assert not access.email_verified
    assert access.member_roles == frozenset()
    assert access.approved_organisation_ids == frozenset()


def test_nobody_signed_in_may_do_nothing(db):
    assert access_for(AnonymousUser()) == access_for(UserFactory(is_active=False))
    assert not access_for(AnonymousUser()).email_verified
