"""Fixtures shared by the consultation tests: a plan in co-creation, an open consultation on
it, and a proposal a verified CSO member submitted. A module that needs another plan or
window defines its own fixture of the same name."""

import pytest

from tests.factories import PlanFactory

from .test_services import make_consultation, make_proposal


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="co_creation")


@pytest.fixture
def consultation(plan):
    return make_consultation(plan)


@pytest.fixture
def proposal(cso_member, consultation):
    return make_proposal(cso_member, consultation)
