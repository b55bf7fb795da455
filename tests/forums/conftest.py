"""Forum fixtures on top of the shared cast (tests/conftest.py): member A's forum with five
government and five civil-society seats, and three verified CSOs with a representative each."""

import datetime as dt

import pytest
from django.utils import timezone

from forums.choices import Sector
from ogp_portal.organisations.choices import OrganisationKind
from records.choices import DocumentType
from records.models import RepositoryDocument
from tests.factories import OrganisationFactory, UserFactory, join

from .factories import (
    ForumFactory,
    ForumSeatFactory,
    SelectionRoundFactory,
    ThreadFactory,
    allocate,
    published_meeting,
)


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


@pytest.fixture
def busy_forum(forum, member, cso):
    """The forum of member A with 500 repository documents and 20 of everything else."""
    RepositoryDocument.objects.bulk_create(
        RepositoryDocument(
            member=member,
            doc_type=DocumentType.values[i % len(DocumentType.values)],
            title=f"Document {i}",
            url=f"https://example.org/{i}.pdf",
            published_at=timezone.now() - dt.timedelta(hours=i),
        )
        for i in range(500)
    )
    for i in range(20):
        ForumSeatFactory(
            forum=forum,
            sector=Sector.CIVIL_SOCIETY if i % 2 else Sector.GOVERNMENT,
            organisation=cso,
        )
        published_meeting(forum, timezone.now() - dt.timedelta(days=10 + i))
        ThreadFactory(forum=forum, is_public=True)
        SelectionRoundFactory(forum=forum)
    return forum
