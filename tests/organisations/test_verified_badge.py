"""A "Verified" badge follows the name of every organisation the secretariat verified, on
the pages that list or show organisations; an unverified one shows none."""

import re

import pytest
from django.urls import reverse

from ogp_portal.organisations.choices import OrganisationKind
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

BADGE = '<span class="badge badge-ok badge-verified">Verified</span>'


def _badged(page: str, name: str) -> bool:
    return bool(re.search(re.escape(name) + r"(</bdi>)?(</a>)?" + re.escape(" " + BADGE), page))


def test_the_organisation_list_and_pages_badge_verified_organisations(client, member):
    verified = OrganisationFactory(name="Open Courts Now", member=member, kind=OrganisationKind.CSO)
    waiting = OrganisationFactory(
        name="Brand New Group", member=member, kind=OrganisationKind.CSO, verified_at=None
    )
    page = client.get(reverse("organisations:organisation-list")).content.decode()
    assert _badged(page, "Open Courts Now")
    assert waiting.verified_at is None
    assert not _badged(page, "Brand New Group")
    detail = client.get(verified.get_absolute_url()).content.decode()
    assert f"<p>{BADGE.strip()}</p>" in detail.replace("<p> ", "<p>")
    assert BADGE not in client.get(waiting.get_absolute_url()).content.decode()
    member_page = client.get(member.get_absolute_url()).content.decode()
    if "Open Courts Now" in member_page:
        assert _badged(member_page, "Open Courts Now")


def test_a_proposal_by_a_verified_cso_carries_the_badge(client, cso_member, consultation_proposal):
    page = client.get(consultation_proposal.get_absolute_url()).content.decode()
    assert _badged(page, "Watchdog A")


@pytest.fixture
def consultation_proposal(cso_member, cso, member):
    from tests.consultations.test_services import make_consultation, make_proposal
    from tests.factories import PlanFactory

    plan = PlanFactory(member=member, status="co_creation")
    return make_proposal(cso_member, make_consultation(plan), organisation=cso)
