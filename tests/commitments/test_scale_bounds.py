"""The commitment list (filtered, searched) and the plan page: the same number of queries
with 3 or 60 commitments (issue #7)."""

import pytest
from django.urls import reverse

from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="implementation")


def fill(plan, n):
    for i in range(n):
        commitment = CommitmentFactory(
            plan=plan, position=i, title=f"Open court registers {i}", status="ongoing"
        )
        MilestoneFactory(commitment=commitment)


@pytest.mark.parametrize("n", [3, 60])
def test_commitment_list_filtered_and_searched_is_bounded(
    client, plan, django_assert_max_num_queries, n
):
    fill(plan, n)
    url = reverse("commitments:commitment-list")
    found = None
    for params in ({}, {"status": "ongoing"}, {"q": "court registers"}, {"page": "2"}):
        with django_assert_max_num_queries(8):
            response = client.get(url, params)
        assert response.status_code in (200, 404)  # page 2 exists only with 60
        if "q" in params:
            found = response.context["paginator"].count
    assert found == n


@pytest.mark.parametrize("n", [3, 60])
def test_plan_page_is_bounded(client, plan, django_assert_max_num_queries, n):
    fill(plan, n)
    with django_assert_max_num_queries(12):
        response = client.get(plan.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.django_db
def test_plan_filter_offers_the_chosen_members_plans_not_every_plan(client, member, other_member):
    from plans.choices import PlanStatus

    mine = PlanFactory(member=member, status=PlanStatus.IMPLEMENTATION, title="Mine plan")
    theirs = PlanFactory(member=other_member, status=PlanStatus.IMPLEMENTATION, title="Theirs")
    url = reverse("commitments:commitment-list")

    def plan_options(query):
        form = client.get(url, query).context["filter"].form
        return {plan.pk for plan in form.fields["plan"].queryset}

    assert plan_options({}) == set()
    assert plan_options({"member": member.pk}) == {mine.pk}
    # A link with a plan keeps working without a member.
    assert plan_options({"plan": theirs.pk}) == {theirs.pk}
    page = client.get(url, {"plan": theirs.pk})
    assert page.status_code == 200
