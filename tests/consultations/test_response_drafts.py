"""Draft responses before publication (issue #15): staff edit or withdraw them, nobody else
can; publishing tells each author of the answered inputs once."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import GuidingQuestion, InputEntry, ReasonedResponse
from consultations.services.answers import answer_submit
from consultations.services.comments import comment_post
from consultations.services.ledger import input_record
from consultations.services.responses import response_draft
from ogp_portal.core.models import AuditEvent, Notification
from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory

from .test_services import make_consultation


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="draft_public_comment")


@pytest.fixture
def inputs(plan, citizen, cso_member, civil_servant):
    """Two answers and a comment by the citizen, one answer by the CSO member, and a paper
    form typed in by staff (no account to tell)."""
    commitment = CommitmentFactory(plan=plan)
    MilestoneFactory(commitment=commitment)
    consultation = make_consultation(plan, kind="draft_plan_comment")
    question = GuidingQuestion.objects.create(consultation=consultation, text="What matters?")
    answer_submit(question, actor=citizen, body="Budgets, in plain words.")
    answer_submit(question, actor=citizen, body="And court deadlines.")
    comment_post(consultation, actor=citizen, body="Add a deadline.", commitment=commitment)
    answer_submit(question, actor=cso_member, body="Open contracts.")
    input_record(
        plan,
        actor=civil_servant,
        channel="paper",
        text="A paper form.",
        received_on=timezone.localdate(),
    )
    return list(InputEntry.objects.filter(plan=plan).order_by("pk"))


@pytest.fixture
def draft(plan, inputs, civil_servant):
    return response_draft(
        plan, actor=civil_servant, entries=inputs, decision="accepted", reason="All of it."
    )


def _url(plan, response, action):
    if action == "edit":
        return reverse("ledger:response-edit", args=[plan.pk, response.pk])
    return reverse("ledger:response-action", args=[plan.pk, response.pk, action])


EDIT = {"decision": "not_accepted", "reason": "Not this time: the budget law decides."}


def test_staff_edit_a_draft_and_the_public_still_sees_nothing(
    client_for, plan, inputs, draft, civil_servant
):
    staff = client_for(civil_servant)
    assert "All of it." in staff.get(_url(plan, draft, "edit")).content.decode()
    answer = staff.post(_url(plan, draft, "edit"), EDIT)
    assert answer.status_code == 302
    page = staff.get(answer["Location"]).content.decode()
    assert "the budget law decides" in page
    assert "Edit the draft response" in page
    # Still a draft: not public, and the public ledger says no response yet.
    client = Client()
    detail = reverse("ledger:response-detail", args=[plan.pk, draft.pk])
    assert client.get(detail).status_code == 404
    assert "the budget law decides" not in client.get(inputs[0].get_absolute_url()).content.decode()
    event = AuditEvent.objects.get(action="consultations.response.edited")
    assert event.actor == civil_servant
    assert event.data["from_decision"] == "accepted"
    assert event.data["decision"] == "not_accepted"


def test_an_empty_reason_is_refused_and_the_form_keeps_what_was_typed(
    client_for, plan, draft, civil_servant
):
    page = client_for(civil_servant).post(
        _url(plan, draft, "edit"), {"decision": "not_accepted", "reason": "  "}
    )
    assert page.status_code == 200
    draft.refresh_from_db()
    assert draft.reason == "All of it."


def test_staff_withdraw_a_draft_and_its_inputs_await_a_response_again(
    client_for, plan, inputs, draft, civil_servant
):
    answer = client_for(civil_servant).post(_url(plan, draft, "withdraw"), follow=True)
    assert "The draft response is withdrawn" in answer.content.decode()
    assert not ReasonedResponse.objects.filter(pk=draft.pk).exists()
    assert not InputEntry.objects.filter(plan=plan, response__isnull=False).exists()
    event = AuditEvent.objects.get(action="consultations.response.withdrawn")
    assert event.data["entries"] == [e.pk for e in inputs]
    assert event.reason == "All of it."


def test_a_published_response_can_no_longer_be_edited_or_withdrawn(
    client_for, plan, draft, civil_servant
):
    staff = client_for(civil_servant)
    staff.post(_url(plan, draft, "publish"))
    assert staff.get(_url(plan, draft, "edit")).status_code == 404
    assert staff.post(_url(plan, draft, "edit"), EDIT).status_code == 404
    page = staff.post(_url(plan, draft, "withdraw"), follow=True).content.decode()
    assert "can no longer be changed" in page
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert draft.reason == "All of it."
    assert InputEntry.objects.filter(response=draft).count() == 5


def test_citizens_csos_and_other_members_cannot_edit_or_withdraw(
    client,
    client_for,
    plan,
    draft,
    citizen,
    cso_member,
    other_member_civil_servant,
):
    anonymous = client.post(_url(plan, draft, "edit"), EDIT)
    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]
    assert "login" in client.post(_url(plan, draft, "withdraw"))["Location"]
    for outsider in (citizen, cso_member, other_member_civil_servant):
        outsider_client = client_for(outsider)
        assert outsider_client.get(_url(plan, draft, "edit")).status_code == 403
        assert outsider_client.post(_url(plan, draft, "edit"), EDIT).status_code == 403
        assert outsider_client.post(_url(plan, draft, "withdraw")).status_code == 403
    draft.refresh_from_db()
    assert draft.reason == "All of it."
    assert not AuditEvent.objects.filter(action__startswith="consultations.response.e").exists()


def test_publishing_tells_each_author_once(
    client_for,
    plan,
    inputs,
    draft,
    civil_servant,
    citizen,
    cso_member,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(civil_servant).post(_url(plan, draft, "publish"))
    notes = Notification.objects.filter(kind="input.answered")
    # The citizen gave three inputs, the CSO member one; the paper form has no account.
    assert sorted(n.recipient_id for n in notes) == sorted([citizen.pk, cso_member.pk])
    mine = notes.get(recipient=citizen)
    assert "3 of your inputs" in mine.body
    assert "Budgets, in plain words." in mine.body
    assert "All of it." in mine.body
    inbox = client_for(citizen).get(reverse("notifications:inbox")).content.decode()
    assert "A response to your input" in inbox
    assert not Notification.objects.filter(recipient=civil_servant).exists()
    assert len(mail.outbox) <= 2


def test_a_draft_goes_to_review_once_and_still_does_not_count(
    client_for, plan, inputs, draft, civil_servant
):
    staff = client_for(civil_servant)
    staff.post(_url(plan, draft, "review"))
    draft.refresh_from_db()
    assert draft.status == "in_review"
    assert draft.published_at is None
    page = staff.post(_url(plan, draft, "review"), follow=True).content.decode()
    assert "Only a draft response can be sent for review." in page
    # In review is not published: the public input page shows no response yet.
    public = Client().get(reverse("ledger:input-detail", args=[plan.pk, inputs[0].pk]))
    assert "All of it." not in public.content.decode()


def test_an_input_counts_only_the_other_inputs_a_reader_may_see(
    client_for, plan, inputs, draft, civil_servant
):
    """The public input page says how many other inputs the same response answers; a hidden
    comment among them is not counted for the public (its page would not list it)."""
    client_for(civil_servant).post(_url(plan, draft, "publish"))
    hidden = next(e for e in inputs if e.comment_id)
    hidden.comment.moderation_state = "hidden"
    hidden.comment.save()
    InputEntry.objects.filter(pk=hidden.pk).update(is_public=False)
    url = reverse("ledger:input-detail", args=[plan.pk, inputs[0].pk])
    public = Client().get(url).content.decode()
    staff = client_for(civil_servant).get(url).content.decode()
    assert _sibling_count(public) == 3
    assert _sibling_count(staff) == 4


def _sibling_count(html: str) -> int:
    import re

    found = re.search(r"(\d+) other input", html)
    assert found, html[:2000]
    return int(found.group(1))
