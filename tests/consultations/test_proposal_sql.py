"""The proposal page's proposal read in SQL (consultations/proposal_sql.py) is what
select_related loads: the same values in the proposal and each relation, an empty relation
as None, no proposal as None, and no query more when the page reads the relations."""

import pytest

from consultations.models import Proposal
from consultations.proposal_sql import proposal_for_page
from plans.models import PolicyArea

from .test_services import make_proposal

RELATED = ("consultation__plan__member", "organisation", "author", "response", "policy_area")
PATHS = (
    "consultation",
    "consultation.plan",
    "consultation.plan.member",
    "author",
    "organisation",
    "policy_area",
    "response",
)


def values(instance):
    if instance is None:
        return None
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def follow(instance, path):
    for part in path.split("."):
        instance = getattr(instance, part)
    return instance


@pytest.mark.parametrize("filled", [False, True])
def test_the_same_instances_as_select_related(
    cso_member, citizen, consultation, django_assert_num_queries, filled
):
    proposal = make_proposal(citizen if not filled else cso_member, consultation)
    if filled:
        area = PolicyArea.objects.create(plan=consultation.plan, name="Open data", position=1)
        Proposal.objects.filter(pk=proposal.pk).update(policy_area=area)
    expected = Proposal.objects.select_related(*RELATED).get(pk=proposal.pk)
    with django_assert_num_queries(1):
        read = proposal_for_page(proposal.pk)
        assert values(read) == values(expected)
        for path in PATHS:
            assert values(follow(read, path)) == values(follow(expected, path)), path
    assert (read.policy_area is None) is not filled
    assert read._state.adding is False
    assert read._state.db == "default"


def test_no_such_proposal(db):
    assert proposal_for_page(10**9) is None
    assert proposal_for_page(2**70) is None
