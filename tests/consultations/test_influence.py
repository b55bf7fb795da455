"""/plans/<id>/influence/ from outside: the counts, the flow input → decision → commitment
with its table and CSV, each commitment's origins, who may see what, bounded queries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.choices import InputChannel, InputKind, ResponseDecision, ResponseStatus
from consultations.models import InputEntry, ReasonedResponse
from tests.factories import CommitmentFactory, PlanFactory

from .test_services import make_consultation, make_proposal


def url(plan, **query):
    base = reverse("influence:plan-influence", args=[plan.pk])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def respond(plan, decision, *, commitments=(), published=True):
    response = ReasonedResponse.objects.create(
        plan=plan,
        status=ResponseStatus.PUBLISHED if published else ResponseStatus.DRAFT,
        decision=decision,
        reason="Because.",
        published_at=timezone.now() if published else None,
    )
    response.commitments.set(commitments)
    return response


def entry(plan, kind=InputKind.PROPOSAL, channel=InputChannel.ONLINE, response=None, **fields):
    return InputEntry.objects.create(
        plan=plan,
        kind=kind,
        channel=channel,
        response=response,
        title=fields.pop("title", f"{kind} input"),
        **fields,
    )


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="implementation")


def test_the_page_counts_inputs_and_draws_their_flow_to_commitments(client, plan):
    # Given a commitment shaped by two proposals and a workshop input
    open_courts = CommitmentFactory(plan=plan, title="Open courts")
    accepted = respond(plan, ResponseDecision.ACCEPTED, commitments=[open_courts])
    entry(plan, response=accepted, title="Publish judgments")
    entry(plan, response=accepted, title="Open hearings")
    entry(
        plan,
        InputKind.OFFLINE,
        InputChannel.WORKSHOP,
        response=accepted,
        title="Workshop in Tarsa",
    )
    # And a comment not taken up, one awaiting a response, one with only a draft response
    entry(plan, InputKind.COMMENT, response=respond(plan, ResponseDecision.NOT_TAKEN_UP))
    entry(plan, InputKind.ANSWER)
    entry(
        plan, InputKind.ANSWER, response=respond(plan, ResponseDecision.ACCEPTED, published=False)
    )
    # And a hidden comment, which does not count
    entry(plan, InputKind.COMMENT, is_public=False, title="Hidden one")

    response = client.get(url(plan))
    html = response.content.decode()
    assert response.status_code == 200
    assert "The plan received 6 public inputs." in html
    # Charts are images with a title, and their numbers are in tables
    assert html.count('role="img"') == 4
    assert '<th scope="row">Proposal</th>' in html
    assert '<th scope="row">Workshop or meeting</th>' in html
    assert '<th scope="row">Awaiting a response</th>' in html
    flow = html[html.index('id="flow"') :]
    assert '<td data-label="To">Accepted</td>' in flow
    assert f'<td data-label="To">{open_courts.ogp_id} Open courts</td>' in flow
    # Each commitment lists the inputs it came from
    origins = html[html.index('id="commitments-heading"') :]
    assert "3 inputs shaped this commitment." in origins
    assert "Publish judgments" in origins
    assert "Workshop in Tarsa" in origins
    assert "Hidden one" not in html


def test_decision_counts_treat_a_draft_response_as_awaiting(client, plan):
    entry(
        plan, InputKind.ANSWER, response=respond(plan, ResponseDecision.ACCEPTED, published=False)
    )
    body = b"".join(client.get(url(plan, csv="decisions")).streaming_content).decode()
    assert "Awaiting a response,1" in body
    assert "Accepted,0" in body


def test_each_chart_has_a_csv_with_its_numbers(client, plan):
    commitment = CommitmentFactory(plan=plan, title="Open data")
    entry(plan, response=respond(plan, ResponseDecision.PARTLY, commitments=[commitment]))
    response = client.get(url(plan, csv="flow"))
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert "Proposal,Partly taken up,1" in body
    assert f"Partly taken up,{commitment.ogp_id} Open data,1" in body
    assert client.get(url(plan, csv="nothing")).status_code == 404


def test_a_proposal_linked_to_a_commitment_counts_for_it(client, plan, cso_member):
    # Given a proposal linked to a commitment by hand, with a response naming no commitment
    type(plan).objects.filter(pk=plan.pk).update(status="co_creation")
    plan.refresh_from_db()
    consultation = make_consultation(plan)
    proposal = make_proposal(cso_member, consultation)  # its ledger entry comes with it
    type(plan).objects.filter(pk=plan.pk).update(status="implementation")
    commitment = CommitmentFactory(plan=plan, title="Registers")
    from consultations.models import ProposalCommitmentLink

    ProposalCommitmentLink.objects.create(proposal=proposal, commitment=commitment)
    InputEntry.objects.filter(proposal=proposal).update(
        response=respond(plan, ResponseDecision.ACCEPTED)
    )
    html = client.get(url(plan)).content.decode()
    origins = html[html.index('id="commitments-heading"') :]
    assert "1 input shaped this commitment." in origins
    assert proposal.get_absolute_url() in origins


def test_a_draft_plan_is_not_found_and_draft_commitments_stay_hidden(client, client_for, member):
    draft = PlanFactory(member=member, status="planning")
    assert client.get(url(draft)).status_code == 404
    co_creation = PlanFactory(member=member, status="co_creation")
    CommitmentFactory(plan=co_creation, title="Secret working draft")
    html = client.get(url(co_creation)).content.decode()
    assert "Secret working draft" not in html
    assert 'id="commitments-heading"' not in html


def test_the_page_has_a_bounded_number_of_queries(client, plan, django_assert_max_num_queries):
    commitments = [CommitmentFactory(plan=plan) for _ in range(12)]
    responses = [
        respond(plan, decision, commitments=commitments[i % 12 : i % 12 + 2])
        for i, decision in enumerate(ResponseDecision.values * 4)
    ]
    InputEntry.objects.bulk_create(
        InputEntry(
            plan=plan,
            kind=InputKind.values[i % 5],
            channel=InputChannel.values[i % 6],
            response=responses[i % len(responses)] if i % 7 else None,
            title=f"Input {i}",
        )
        for i in range(600)
    )
    with django_assert_max_num_queries(12):
        response = client.get(url(plan))
    assert response.status_code == 200
    assert "The plan received 600 public inputs." in response.content.decode()


def test_the_demo_shows_influence_monitoring_a_group_and_a_reconsideration(client, db):
    from django.core.management import call_command

    from consultations.models import InputCluster, ReconsiderationRequest
    from plans.models import ActionPlan

    call_command("load_demo", quiet_logins=True)
    for plan in ActionPlan.objects.exclude(status="planning"):
        assert client.get(url(plan)).status_code == 200
        assert client.get(reverse("ledger:input-list", args=[plan.pk])).status_code == 200
    plan4 = ActionPlan.objects.get(title="Fourth National Action Plan 2020–2022")
    html = client.get(url(plan4)).content.decode()
    assert "Offline input" in html
    assert "shaped this commitment" in html
    # The e-mail campaign answered as one group
    group = InputCluster.objects.get(plan=plan4)
    page = client.get(reverse("clusters:cluster-detail", args=[plan4.pk, group.pk])).content
    assert "6 inputs in this group." in page.decode()
    # A reconsideration answered in public
    asked = ReconsiderationRequest.objects.get()
    page = client.get(
        reverse("reconsideration:reconsideration", args=[plan4.pk, asked.entry_id])
    ).content.decode()
    assert "Decision upheld" in page
    # Monitoring on Port Lumen's plan, with the city's answer
    from commitments.models import Commitment

    commitment = Commitment.objects.get(ogp_id="XV0012")
    html = client.get(commitment.get_absolute_url()).content.decode()
    assert "Answer from the commitment lead" in html
