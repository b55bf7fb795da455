"""The plan admin: texts are editable, the stage moves only through `plan_transition`."""

import pytest
from django.urls import reverse

from ogp_portal.core.models import AuditEvent
from plans.choices import PlanStatus as S
from tests.factories import CommitmentFactory, PlanFactory, PolicyAreaFactory

from .conftest import change_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:plans_actionplan_changelist")


@pytest.fixture
def plan(member):
    plan = PlanFactory(member=member, status=S.DRAFTING, title="Plan in drafting")
    PolicyAreaFactory(plan=plan)
    return plan


def change_url(plan):
    return reverse("admin:plans_actionplan_change", args=[plan.pk])


def run_action(client, action, *plans):
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [p.pk for p in plans], "index": 0},
        follow=True,
    )


def test_the_change_form_does_not_change_the_status(client_for, superuser, plan):
    client = client_for(superuser)
    page = client.get(change_url(plan))
    assert page.status_code == 200

    response = client.post(
        change_url(plan), change_form_data(page, status=S.ADOPTED, title="Renamed plan")
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    plan.refresh_from_db()
    assert plan.title == "Renamed plan"  # plain text stays editable
    assert plan.status == S.DRAFTING
    assert not AuditEvent.objects.filter(action="plans.plan.transitioned").exists()


def test_the_action_moves_the_plan_through_the_service(client_for, superuser, plan):
    CommitmentFactory(plan=plan)

    response = run_action(client_for(superuser), "move_to_draft_public_comment", plan)

    assert response.status_code == 200
    assert "1 plan moved to" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == S.DRAFT_PUBLIC_COMMENT
    event = AuditEvent.objects.get(action="plans.plan.transitioned")
    assert event.actor == superuser
    assert event.target_id == str(plan.pk)
    assert event.data == {"from_state": S.DRAFTING, "to_state": S.DRAFT_PUBLIC_COMMENT}


def test_a_refused_transition_shows_the_reason_and_changes_nothing(client_for, superuser, plan):
    # Given a plan in drafting without any commitment
    client = client_for(superuser)

    # When the admin tries to publish the draft, and to skip ahead to adoption
    refused = run_action(client, "move_to_draft_public_comment", plan)
    illegal = run_action(client, "move_to_adopted", plan)

    # Then both are refused with the service's reasons, and nothing changed
    assert refused.status_code == 200
    assert "Add at least one commitment" in refused.content.decode()
    assert illegal.status_code == 200
    assert "cannot go from" in illegal.content.decode()
    plan.refresh_from_db()
    assert plan.status == S.DRAFTING
    assert not AuditEvent.objects.exists()


def test_one_action_per_stage_a_plan_can_be_moved_to(client_for, superuser, plan):
    page = client_for(superuser).get(CHANGELIST).content.decode()
    for status in S:
        assert (f'value="move_to_{status.value}"' in page) == (status != S.PLANNING)


def test_plans_are_not_added_in_the_admin(client_for, superuser):
    assert client_for(superuser).get(reverse("admin:plans_actionplan_add")).status_code == 403


def test_only_staff_who_may_change_plans_may_move_them(client_for, secretariat, plan):
    # The secretariat may not edit plans in the admin, so it is offered no transition either.
    CommitmentFactory(plan=plan)
    client = client_for(secretariat)
    assert "move_to_" not in client.get(CHANGELIST).content.decode()

    response = run_action(client, "move_to_draft_public_comment", plan)

    assert response.status_code == 200  # the changelist, with no such action run
    plan.refresh_from_db()
    assert plan.status == S.DRAFTING


def test_an_archived_plan_is_read_only(client_for, superuser, plan):
    plan.status = S.ARCHIVED
    plan.save()
    client = client_for(superuser)
    assert client.get(change_url(plan)).status_code == 200  # shown, read-only

    response = client.post(change_url(plan), {"title": "Rewritten history"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.title == "Plan in drafting"
