"""The ledger of a plan's inputs (issue #15), from the outside: who sees what, filters, CSV,
the respond flow and its permissions, and the adoption gate it feeds."""

import csv
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from consultations.models import Answer, GuidingQuestion, InputEntry
from consultations.services.answers import answer_submit
from consultations.services.comments import comment_hide, comment_post
from consultations.services.ledger import input_record
from consultations.services.responses import response_draft, response_publish
from plans.services import plan_transition, transition_problems
from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory

from .test_services import make_consultation, make_proposal


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="draft_public_comment")


@pytest.fixture
def commitment(plan):
    commitment = CommitmentFactory(plan=plan)
    MilestoneFactory(commitment=commitment)
    return commitment


@pytest.fixture
def every_kind(plan, commitment, citizen, cso_member, civil_servant, moderator):
    """A plan with one input of every kind the co-creation phase collects, plus a hidden
    comment (not public, not counted)."""
    consultation = make_consultation(plan, kind="draft_plan_comment")
    question = GuidingQuestion.objects.create(consultation=consultation, text="What matters?")
    proposal = make_proposal(cso_member, consultation, title="Open the court registers")
    answer_submit(question, actor=citizen, body="Budgets, in plain words.")
    comment_post(consultation, actor=citizen, body="Add a deadline.", commitment=commitment)
    hidden = comment_post(consultation, actor=citizen, body="Rude words", commitment=commitment)
    comment_hide(hidden, actor=moderator, reason="Insults")
    input_record(
        plan,
        actor=civil_servant,
        channel="paper",
        text="A paper form about libraries.",
        received_on=timezone.localdate(),
        author_name="Ana Example",
        contact="+1 555 0100",
        consultation=consultation,
    )
    input_record(
        plan,
        actor=civil_servant,
        kind="forum",
        channel="meeting",
        text="The forum asked for a budget line.",
        received_on=timezone.localdate(),
        source_label="Forum meeting of 3 March",
    )
    return {"consultation": consultation, "proposal": proposal}


def _url(plan, name="ledger:input-list", **kw):
    return reverse(name, kwargs={"plan_pk": plan.pk, **kw})


def test_every_input_is_in_the_ledger_and_private_data_stays_private(client, plan, every_kind):
    page = client.get(_url(plan)).content.decode()
    for text in (
        "Open the court registers",
        "Budgets, in plain words.",
        "Add a deadline.",
        "A paper form about libraries.",
        "The forum asked for a budget line.",
    ):
        assert text in page
    assert "Rude words" not in page
    entry = InputEntry.objects.get(kind="offline")
    detail = client.get(entry.get_absolute_url()).content.decode()
    assert "A paper form about libraries." in detail
    assert "Ana Example" not in detail
    assert "555 0100" not in detail
    hidden = InputEntry.objects.get(is_public=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_staff_see_private_contact_on_the_entry(client_for, civil_servant, plan, every_kind):
    entry = InputEntry.objects.get(kind="offline")
    detail = client_for(civil_servant).get(entry.get_absolute_url()).content.decode()
    assert "Ana Example" in detail
    assert "555 0100" in detail


def test_filters_and_csv(client, plan, every_kind, civil_servant):
    page = client.get(_url(plan), {"kind": "answer"}).content.decode()
    assert "Budgets, in plain words." in page
    assert "Open the court registers" not in page

    answer_entry = InputEntry.objects.get(kind="answer")
    response = response_draft(
        plan,
        actor=civil_servant,
        entries=[answer_entry],
        decision="out_of_scope",
        reason="Belongs to the budget law.",
    )
    # A draft is not public: not in the decision filter, not in the CSV.
    page = client.get(_url(plan), {"decision": "out_of_scope"}).content.decode()
    assert "Budgets, in plain words." not in page
    response_publish(response, actor=civil_servant)
    page = client.get(_url(plan), {"decision": "out_of_scope"}).content.decode()
    assert "Budgets, in plain words." in page
    assert "Open the court registers" not in page

    body = b"".join(
        client.get(_url(plan, "ledger:input-csv"), {"kind": "answer"}).streaming_content
    )
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["decision"] for r in rows] == ["out_of_scope"]
    assert rows[0]["reason"] == "Belongs to the budget law."
    everything = b"".join(client.get(_url(plan, "ledger:input-csv")).streaming_content).decode()
    assert "555 0100" not in everything
    assert "Ana Example" not in everything
    assert "Rude words" not in everything


def test_only_the_plans_civil_servants_respond(
    client_for,
    client,
    plan,
    every_kind,
    citizen,
    cso_member,
    other_member_civil_servant,
    civil_servant,
):
    entry = InputEntry.objects.get(kind="answer")
    data = {"entries": [entry.pk], "decision": "accepted", "reason": "Yes."}
    url = _url(plan, "ledger:response-draft")
    assert client.post(url, data).status_code == 302  # anonymous: to sign in
    assert "login" in client.post(url, data)["Location"]
    for outsider in (citizen, cso_member, other_member_civil_servant):
        assert client_for(outsider).post(url, data).status_code == 403
    assert not InputEntry.objects.filter(response__isnull=False, kind="answer").exists()

    answer = client_for(civil_servant).post(url, data)
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert entry.response.status == "draft"
    publish = _url(plan, "ledger:response-action", pk=entry.response_id, action="publish")
    assert client_for(citizen).post(publish).status_code == 403
    client_for(civil_servant).post(publish)
    entry.refresh_from_db()
    assert entry.response.published_at is not None
    assert Answer.objects.get(pk=entry.answer_id).response_id == entry.response_id
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Yes." in page


def test_one_response_answers_many_inputs(plan, every_kind, civil_servant, commitment, client):
    entries = list(InputEntry.objects.counted().filter(plan=plan))
    response = response_draft(
        plan,
        actor=civil_servant,
        entries=entries,
        decision="partially_accepted",
        reason="Taken into C1.",
        commitments=[commitment],
    )
    response_publish(response, actor=civil_servant)
    proposal = every_kind["proposal"]
    proposal.refresh_from_db()
    assert proposal.status == "partially_accepted"
    assert proposal.response_id == response.pk
    assert proposal.commitment_links.filter(commitment=commitment).exists()
    for entry in entries:
        page = client.get(entry.get_absolute_url()).content.decode()
        assert "Taken into C1." in page
        assert commitment.ogp_id in page


def test_gate_names_every_kind_unanswered_and_open_windows(
    plan, every_kind, civil_servant, commitment
):
    consultation = every_kind["consultation"]
    plan.status = "reasoned_response"
    plan.save()
    problems = " ".join(transition_problems(plan, "adopted"))
    assert "still open" in problems
    for label in (
        "Answer to a guiding question",
        "Comment on the draft plan",
        "Offline input",
        "Forum or working-group meeting",
        "Open the court registers",
    ):
        assert label in problems
    with time_machine.travel(consultation.closes_at + timezone.timedelta(hours=1)):
        entries = list(InputEntry.objects.counted().filter(plan=plan))
        draft = response_draft(
            plan,
            actor=civil_servant,
            entries=entries,
            decision="accepted",
            reason="All in.",
            commitments=[commitment],
        )
        problems = " ".join(transition_problems(plan, "adopted"))
        assert "Offline input" in problems  # a draft does not count
        response_publish(draft, actor=civil_servant)
        assert transition_problems(plan, "adopted") == []
        plan_transition(plan, actor=civil_servant, to_status="adopted")
        plan.refresh_from_db()
        assert plan.status == "adopted"


def test_a_scheduled_window_and_empty_sections_block_adoption(member):
    plan = PlanFactory(member=member, status="reasoned_response", vision="")
    CommitmentFactory(plan=plan, problem="")
    now = timezone.now()
    make_consultation(
        plan,
        title="Later window",
        opens_at=now + timezone.timedelta(days=3),
        closes_at=now + timezone.timedelta(days=9),
    )
    problems = " ".join(transition_problems(plan, "adopted"))
    assert "“Later window” has not opened yet" in problems
    assert "Introduction and long-term vision" in problems
    assert "not written yet: problem" in problems


def test_no_input_after_adoption(member, citizen, civil_servant):
    plan = PlanFactory(member=member, status="adopted")
    consultation = make_consultation(plan)
    from ogp_portal.core.errors import DomainError

    with pytest.raises(DomainError, match="adopted"):
        make_proposal(citizen, consultation)
    with pytest.raises(DomainError, match="adopted"):
        input_record(
            plan,
            actor=civil_servant,
            channel="phone",
            text="Late call",
            received_on=timezone.localdate(),
        )


def test_ledger_page_queries_are_bounded(client, plan, every_kind, django_assert_max_num_queries):
    consultation = every_kind["consultation"]
    entries = [
        InputEntry(
            plan=plan,
            consultation=consultation,
            kind="offline",
            channel="phone",
            title=f"Call {n}",
            text="…",
        )
        for n in range(300)
    ]
    InputEntry.objects.bulk_create(entries)
    with django_assert_max_num_queries(14):
        page = client.get(_url(plan))
    assert page.status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(_url(plan), {"page": "last", "kind": "offline"}).status_code == 200


def test_anonymous_readers_get_the_ledger_from_the_cache_and_every_change_at_once(
    plan, every_kind, civil_servant, django_assert_num_queries
):
    url = _url(plan)
    assert Client().get(url)["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        stored = Client().get(url)
    assert stored["X-Page-Cache"] == "hit"
    assert "A paper form about libraries." in stored.content.decode()

    # Given a page in the cache, when staff type in an input, the next reader sees it.
    input_record(
        plan,
        actor=civil_servant,
        channel="phone",
        text="A call about the water board.",
        received_on=timezone.localdate(),
    )
    assert "A call about the water board." in Client().get(url).content.decode()

    # When a response to an input is published, its decision shows on the cached list.
    entry = InputEntry.objects.get(kind="answer")
    response = response_draft(
        plan, actor=civil_servant, entries=[entry], decision="accepted", reason="Done."
    )
    Client().get(url)
    response_publish(response, actor=civil_servant)
    page = Client().get(url).content.decode()
    assert reverse("ledger:response-detail", args=[plan.pk, response.pk]) in page


def test_signed_in_staff_never_get_the_anonymous_ledger(
    client_for, civil_servant, plan, every_kind
):
    Client().get(_url(plan))  # stored for anonymous readers
    page = client_for(civil_servant).get(_url(plan))
    assert page.get("X-Page-Cache") is None
    assert "Respond to the selected inputs" in page.content.decode()
