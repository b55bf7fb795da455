"""Reconsideration from outside: the author asks once within the set days, another person
cannot, staff answer in public (upheld or changed, history kept)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from consultations.choices import InputKind, ResponseDecision, ResponseStatus
from consultations.models import InputEntry, ReasonedResponse, ReconsiderationRequest
from ogp_portal.core.models import AuditEvent
from tests.factories import PlanFactory


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="reasoned_response")


def published_response(plan, decision=ResponseDecision.NOT_TAKEN_UP, when=None):
    return ReasonedResponse.objects.create(
        plan=plan,
        status=ResponseStatus.PUBLISHED,
        decision=decision,
        reason="Out of budget this cycle.",
        published_at=when or timezone.now(),
    )


@pytest.fixture
def entry(plan, cso_member):
    return InputEntry.objects.create(
        plan=plan,
        kind=InputKind.PROPOSAL,
        author=cso_member,
        title="Open the court registers",
        response=published_response(plan),
    )


def page(entry):
    return reverse("reconsideration:reconsideration", args=[entry.plan_id, entry.pk])


def answer_url(entry):
    return reverse("reconsideration:reconsideration-answer", args=[entry.plan_id, entry.pk])


def test_the_author_asks_and_staff_uphold_in_public(
    client, client_for, cso_member, civil_servant, entry
):
    # Given the author sees the form with the deadline
    html = client_for(cso_member).get(page(entry)).content.decode()
    assert "You may ask once, until" in html
    # When they ask
    response = client_for(cso_member).post(page(entry), {"reason": "The budget law changed."})
    assert response.status_code == 302
    asked = ReconsiderationRequest.objects.get()
    assert asked.previous_decision == ResponseDecision.NOT_TAKEN_UP
    # Then the request is public, awaiting the answer
    html = client.get(page(entry)).content.decode()
    assert "The budget law changed." in html
    assert "Awaiting the answer." in html
    # When a civil servant upholds the decision
    response = client_for(civil_servant).post(
        answer_url(entry), {"outcome": "upheld", "answer": "The law applies from 2028."}
    )
    assert response.status_code == 302
    html = client.get(page(entry)).content.decode()
    assert "Decision upheld" in html
    assert "The law applies from 2028." in html
    entry.response.refresh_from_db()
    assert entry.response.decision == ResponseDecision.NOT_TAKEN_UP
    assert AuditEvent.objects.filter(action="consultations.reconsideration.answered").exists()


def test_a_changed_decision_updates_the_response_and_keeps_the_old_one(
    client, client_for, cso_member, civil_servant, entry
):
    client_for(cso_member).post(page(entry), {"reason": "Please look again."})
    client_for(civil_servant).post(
        answer_url(entry),
        {"outcome": "changed", "decision": "partially_accepted", "answer": "We take up part."},
    )
    entry.refresh_from_db()
    assert entry.response.decision == ResponseDecision.PARTLY
    assert entry.response.reason == "We take up part."
    html = client.get(page(entry)).content.decode()
    assert "Decision changed" in html
    assert "The decision before reconsideration: Out of budget this cycle." in html


def test_a_changed_decision_in_a_cluster_changes_only_that_input(
    client_for, cso_member, civil_servant, entry, plan
):
    other = InputEntry.objects.create(
        plan=plan, kind=InputKind.PROPOSAL, title="Same text", response=entry.response
    )
    client_for(cso_member).post(page(entry), {"reason": "Mine differs."})
    client_for(civil_servant).post(
        answer_url(entry), {"outcome": "changed", "decision": "accepted", "answer": "Yes."}
    )
    entry.refresh_from_db()
    other.refresh_from_db()
    assert entry.response.decision == ResponseDecision.ACCEPTED
    assert other.response.decision == ResponseDecision.NOT_TAKEN_UP


def test_another_person_cannot_ask(client, client_for, citizen, entry):
    assert client_for(citizen).post(page(entry), {"reason": "Me too"}).status_code == 403
    html = client_for(citizen).get(page(entry)).content.decode()
    assert "Ask for reconsideration" not in html
    anonymous = client.logout() or client.post(page(entry), {"reason": "x"})
    assert anonymous.status_code == 302
    assert not ReconsiderationRequest.objects.exists()


def test_a_second_request_is_refused(client_for, cso_member, entry):
    client_for(cso_member).post(page(entry), {"reason": "First"})
    response = client_for(cso_member).post(page(entry), {"reason": "Second"})
    assert response.status_code == 400
    assert ReconsiderationRequest.objects.get().reason == "First"


def test_after_the_set_days_the_request_is_refused_with_a_message(
    client_for, cso_member, entry, settings
):
    settings.OGP_RECONSIDERATION_DAYS = 30
    later = entry.response.published_at + dt.timedelta(days=31)
    with time_machine.travel(later, tick=False):
        response = client_for(cso_member).post(page(entry), {"reason": "Late"})
    assert response.status_code == 400
    assert "within 30 days of the response" in response.content.decode()
    assert not ReconsiderationRequest.objects.exists()


def test_only_the_plans_civil_servants_answer(
    client_for, cso_member, other_member_civil_servant, citizen, entry
):
    client_for(cso_member).post(page(entry), {"reason": "Please"})
    for outsider in (other_member_civil_servant, citizen, cso_member):
        response = client_for(outsider).post(
            answer_url(entry), {"outcome": "upheld", "answer": "No"}
        )
        assert response.status_code == 403
    assert not ReconsiderationRequest.objects.get().is_answered


def test_the_ledger_and_the_input_page_show_the_request_and_its_answer(
    client, client_for, cso_member, civil_servant, entry
):
    detail = reverse("ledger:input-detail", args=[entry.plan_id, entry.pk])
    assert "Ask for this decision to be reconsidered" in (
        client_for(cso_member).get(detail).content.decode()
    )
    client_for(cso_member).post(page(entry), {"reason": "New facts came out."})
    ledger = reverse("ledger:input-list", args=[entry.plan_id])
    assert "Reconsideration asked" in client.get(ledger).content.decode()
    client_for(civil_servant).post(
        answer_url(entry),
        {"outcome": "changed", "decision": "accepted", "answer": "The facts change it."},
    )
    client.logout()
    assert "Decision changed" in client.get(ledger).content.decode()
    html = client.get(detail).content.decode()
    assert "New facts came out." in html
    assert "The facts change it." in html
    assert "Decision changed" in html
