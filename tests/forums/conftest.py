"""Forum fixtures on top of the shared cast (tests/conftest.py): member A's forum with five
government and five civil-society seats, and three verified CSOs with a representative each."""

import pytest

from forums.choices import Sector
from ogp_portal.organisations.choices import OrganisationKind
from tests.factories import OrganisationFactory, UserFactory, join

from .factories import ForumFactory, allocate


@pytest.fixture
def forum(member):
    forum = ForumFactory(member=member, name="Open Government Forum of A")
    allocate(forum, **{Sector.GOVERNMENT: 5, Sector.CIVIL_SOCIETY: 5})
    return forum


@pytest.fixture
def other_forum(other_member):
    forum = ForumFactory(member=other_member, name="Forum of B")
    allocate(forum, **{Sector.GOVERNMENT: 3, Sector.CIVIL_SOCIETY: 3})
    return forum


@pytest.fixture
def cso_reps(member, cso, cso_member):
    """Representatives of three verified CSOs of member A: (user, organisation) pairs."""
    reps = [(cso_member, cso)]
    for name in ("Budget Watch A", "Legal Aid A"):
        org = OrganisationFactory(name=name, member=member, kind=OrganisationKind.CSO)
        user = UserFactory(email=f"{name.split()[0].lower()}@example.org", name=f"{name} rep")
        join(user, org, is_admin=True)
        reps.append((user, org))
    return reps
