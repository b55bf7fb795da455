"""Someone who may not see an object gets 404 on every URL of it, edit and create URLs
included; someone who sees it but may not act gets 403, and that denial is logged with the
user and the object (#13)."""

import logging

import pytest
from django.urls import reverse

from plans.choices import PlanStatus
from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory, PolicyAreaFactory

pytestmark = pytest.mark.django_db


def _urls(plan):
    commitment = CommitmentFactory(plan=plan)
    milestone = MilestoneFactory(commitment=commitment)
    area = PolicyAreaFactory(plan=plan)
    return [
        ("get", reverse("plans:plan-edit", args=[plan.pk])),
        ("post", reverse("plans:plan-transition", args=[plan.pk])),
        ("get", reverse("plans:policyarea-create", args=[plan.pk])),
        ("get", reverse("plans:policyarea-edit", args=[area.pk])),
        ("get", reverse("commitments:commitment-create", args=[plan.pk])),
        ("get", reverse("commitments:commitment-edit", args=[commitment.ogp_id])),
        ("get", reverse("commitments:milestone-create", args=[commitment.ogp_id])),
        ("get", reverse("commitments:milestone-edit", args=[milestone.pk])),
        ("get", reverse("commitments:progress-create", args=[commitment.ogp_id])),
        ("post", reverse("commitments:commitment-withdraw", args=[commitment.ogp_id])),
        ("post", reverse("commitments:commitment-move", args=[commitment.ogp_id])),
        ("get", reverse("commitments:commitment-import", args=[plan.pk])),
        ("get", reverse("consultations:consultation-create", args=[plan.pk])),
    ]


def test_edit_and_create_urls_of_a_draft_are_404_for_outsiders(
    client_for, member, other_member_civil_servant
):
    draft = PlanFactory(member=member, status=PlanStatus.PLANNING)
    client = client_for(other_member_civil_servant)
    assert client.get(draft.get_absolute_url()).status_code == 404
    answers = {url: getattr(client, method)(url).status_code for method, url in _urls(draft)}
    assert answers == dict.fromkeys(answers, 404)


def test_anonymous_visitors_get_404_too_not_a_sign_in_page_that_tells_a_draft_exists(
    client, member
):
    draft = PlanFactory(member=member, status=PlanStatus.PLANNING)
    answers = {url: getattr(client, method)(url).status_code for method, url in _urls(draft)}
    assert answers == dict.fromkeys(answers, 404)


def test_anonymous_visitors_of_a_public_plan_are_sent_to_sign_in(client, member):
    public = PlanFactory(member=member, status=PlanStatus.IMPLEMENTATION)
    answers = {url: getattr(client, method)(url).status_code for method, url in _urls(public)}
    assert answers == dict.fromkeys(answers, 302)


def test_the_same_urls_are_403_for_outsiders_who_can_see_the_plan(
    client_for, member, other_member_civil_servant
):
    public = PlanFactory(member=member, status=PlanStatus.IMPLEMENTATION)
    client = client_for(other_member_civil_servant)
    assert client.get(public.get_absolute_url()).status_code == 200
    answers = {url: getattr(client, method)(url).status_code for method, url in _urls(public)}
    assert answers == dict.fromkeys(answers, 403)


def test_insiders_still_reach_the_draft_edit_pages(client_for, member, civil_servant):
    draft = PlanFactory(member=member, status=PlanStatus.PLANNING)
    client = client_for(civil_servant)
    assert client.get(reverse("plans:plan-edit", args=[draft.pk])).status_code == 200
    commitment = CommitmentFactory(plan=draft)
    url = reverse("commitments:milestone-create", args=[commitment.ogp_id])
    assert client.get(url).status_code == 200


def test_a_denial_is_logged_with_user_and_object(
    client_for, member, other_member_civil_servant, caplog
):
    public = PlanFactory(member=member, status=PlanStatus.IMPLEMENTATION)
    client = client_for(other_member_civil_servant)
    with caplog.at_level(logging.INFO, logger="ogp_portal.permissions"):
        assert client.get(reverse("plans:plan-edit", args=[public.pk])).status_code == 403
        assert client.post(reverse("plans:plan-transition", args=[public.pk])).status_code == 403
    denials = [r for r in caplog.records if r.name == "ogp_portal.permissions"]
    assert len(denials) == 2
    for record in denials:
        assert record.levelno == logging.WARNING
        assert record.user_id == other_member_civil_servant.pk
        assert record.object == f"plans.actionplan:{public.pk}"
        assert f"user={other_member_civil_servant.pk}" in record.getMessage()
        assert f"plans.actionplan:{public.pk}" in record.getMessage()
    assert {r.permission for r in denials} == {
        "plans.change_actionplan",
        "plans.transition_actionplan",
    }
