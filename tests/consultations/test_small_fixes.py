"""Issue 19's small fixes in consultations, from the outside: "New consultation" on the plan
page only for plans that can take one, a CSO's drafts on the consultation page (for their
author only), and the proposal's own text on the staff review page."""

import pytest
from django.urls import reverse

from consultations.services.proposals import proposal_save
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["co_creation", "drafting", "implementation"])
def test_plan_page_offers_new_consultation_to_its_civil_servants(
    client_for, client, civil_servant, citizen, member, status
):
    plan = PlanFactory(member=member, status=status)
    url = reverse("consultations:consultation-create", args=[plan.pk])
    page = client_for(civil_servant).get(plan.get_absolute_url()).content.decode()
    assert f'<a class="button" href="{url}">New consultation</a>' in page
    assert client.get(url).status_code == 200
    client.force_login(citizen)
    assert url not in client.get(plan.get_absolute_url()).content.decode()


@pytest.mark.parametrize("status", ["adopted", "ended", "archived"])
def test_no_new_consultation_for_a_plan_that_cannot_take_one(
    client_for, civil_servant, member, status
):
    plan = PlanFactory(member=member, status=status)
    client = client_for(civil_servant)
    url = reverse("consultations:consultation-create", args=[plan.pk])
    assert url not in client.get(plan.get_absolute_url()).content.decode()
    assert url not in client.get(reverse("consultations:consultation-list")).content.decode()
    assert client.get(url).status_code == 403


def test_a_cso_sees_its_saved_drafts_on_the_consultation_page(
    client_for, cso_member, citizen, consultation
):
    draft = proposal_save(
        consultation, actor=cso_member, submit=False, title="Half-written idea", problem="Soon."
    )
    edit_url = reverse("consultations:proposal-edit", args=[draft.pk])
    page = client_for(cso_member).get(consultation.get_absolute_url()).content.decode()
    assert "Your drafts (only you see them)" in page
    assert f'<a href="{edit_url}">Half-written idea</a>' in page
    other = client_for(citizen).get(consultation.get_absolute_url()).content.decode()
    assert "Half-written idea" not in other


def test_the_review_page_shows_the_proposal_text(client_for, civil_servant, proposal):
    page = client_for(civil_servant).get(
        reverse("consultations:proposal-review", args=[proposal.pk])
    )
    assert page.status_code == 200
    assert "Nobody can see the registers." in page.content.decode()
