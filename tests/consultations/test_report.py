"""The consultation report and its CSV export: counts by channel and sector for a known set
of inputs, every proposal with its decision, and bounded queries."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.choices import Channel, ModerationState, ProposalStatus
from consultations.models import (
    Answer,
    Comment,
    Consultation,
    GuidingQuestion,
    OfflineEvent,
    Proposal,
    ProposalCommitmentLink,
    ReasonedResponse,
)
from ogp_portal.organisations.choices import OrganisationKind
from tests.factories import CommitmentFactory, OrganisationFactory, PlanFactory, UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="drafting")


@pytest.fixture
def consultation(plan):
    # A closed window (Europe/Paris member), announced
    return Consultation.objects.create(
        plan=plan,
        title="Ideas for NAP 3",
        kind="idea_collection",
        description="What should the plan do?",
        channels=[Channel.ONLINE, Channel.WORKSHOP, Channel.IN_PERSON],
        notice_published_at=dt.datetime(2026, 1, 1, tzinfo=UTC),
        opens_at=dt.datetime(2026, 2, 1, tzinfo=UTC),
        closes_at=dt.datetime(2026, 3, 1, tzinfo=UTC),
    )


def _proposal(consultation, title, submitter_type, *, organisation=None, status="submitted"):
    return Proposal.objects.create(
        consultation=consultation,
        author=UserFactory(),
        organisation=organisation,
        submitter_type=submitter_type,
        title=title,
        status=status,
        submitted_at=None if status == ProposalStatus.DRAFT else timezone.now(),
    )


def _respond(proposal, decision, reason, published_at):
    response = ReasonedResponse.objects.create(
        consultation=proposal.consultation,
        decision=decision,
        reason=reason,
        published_at=published_at,
    )
    Proposal.objects.filter(pk=proposal.pk).update(status=decision, response=response)
    return response


@pytest.fixture
def known_inputs(consultation, member):
    """6 published proposals (3 CSO, 2 citizen, 1 academia) and a draft; 4 answers, 2 of them
    covered by one response; 3 visible comments (plus a hidden and a deleted one); a
    workshop with 16 people, an in-person meeting with 6 and a workshop with 3."""
    cso = OrganisationFactory(name="Watchdog, Inc.", member=member, kind=OrganisationKind.CSO)
    university = OrganisationFactory(name="Uni", member=member, kind=OrganisationKind.ACADEMIA)
    accepted = _proposal(consultation, "Open contracts", "cso", organisation=cso)
    rejected = _proposal(consultation, '=HYPERLINK("x")', "cso", organisation=cso)
    _proposal(consultation, "Beneficial owners", "cso", organisation=cso)
    _proposal(consultation, "Budget data", "citizen")
    _proposal(consultation, "Café budgets — “open”", "citizen")
    _proposal(consultation, "Research access", "academia", organisation=university)
    _proposal(consultation, "Unsent draft", "citizen", status=ProposalStatus.DRAFT)
    _respond(
        accepted,
        ProposalStatus.ACCEPTED,
        "It became commitment XV0101.",
        dt.datetime(2026, 4, 2, 8, 30, tzinfo=UTC),
    )
    _respond(rejected, ProposalStatus.NOT_ACCEPTED, "Out of our remit.", timezone.now())
    commitment = CommitmentFactory(plan=consultation.plan, ogp_id="XV0101")
    ProposalCommitmentLink.objects.create(proposal=accepted, commitment=commitment)

    question = GuidingQuestion.objects.create(consultation=consultation, text="Priorities?")
    group = ReasonedResponse.objects.create(
        consultation=consultation,
        decision=ProposalStatus.DEFERRED,
        reason="Next plan.",
        published_at=timezone.now(),
    )
    for i in range(4):
        Answer.objects.create(
            question=question,
            author=UserFactory(),
            body=f"Answer {i}",
            response=group if i < 2 else None,
        )
    for state, deleted in [
        (ModerationState.PUBLISHED, None),
        (ModerationState.PUBLISHED, None),
        (ModerationState.PUBLISHED, None),
        (ModerationState.HIDDEN, None),
        (ModerationState.PUBLISHED, timezone.now()),
    ]:
        Comment.objects.create(
            consultation=consultation,
            proposal=accepted,
            author=UserFactory(),
            body="c",
            body_html="<p>c</p>",
            moderation_state=state,
            deleted_at=deleted,
        )
    for channel, held_on, counts in [
        ("workshop", dt.date(2026, 2, 10), {"government": 4, "civil_society": 12}),
        ("in_person", dt.date(2026, 2, 12), {"civil_society": 5, "other": 1}),
        ("workshop", dt.date(2026, 2, 20), {"academia": 3}),
    ]:
        OfflineEvent.objects.create(
            consultation=consultation,
            channel=channel,
            held_on=held_on,
            place="Town hall",
            participants_by_sector=counts,
            summary="Notes",
        )
    return {"accepted": accepted, "rejected": rejected, "commitment": commitment}


def test_report_counts_inputs_by_channel_and_sector(client, consultation, known_inputs):
    # When anyone opens the report of an announced consultation
    response = client.get(reverse("consultations:consultation-report", args=[consultation.pk]))
    # Then online input counts proposals + answers + visible comments (6 + 4 + 3)
    assert response.status_code == 200
    by_channel = {str(row["label"]): row for row in response.context["by_channel"]}
    assert by_channel["Online"]["inputs"] == 13
    assert (by_channel["Workshops"]["events"], by_channel["Workshops"]["participants"]) == (2, 19)
    assert by_channel["In-person meetings"]["events"] == 1
    assert by_channel["In-person meetings"]["participants"] == 6
    # and proposals by submitter sector (drafts do not count)
    by_sector = {str(label): n for label, n in response.context["by_sector"]}
    assert by_sector == {
        "Civil-society organisation": 3,
        "Citizen": 2,
        "Academia": 1,
        "Private sector": 0,
        "Government": 0,
    }
    offline = {str(label): n for label, n in response.context["offline_by_sector"]}
    assert offline == {
        "Government": 4,
        "Civil society": 17,
        "Academia": 3,
        "Private sector": 0,
        "Parliament": 0,
        "Other": 1,
    }
    page = response.content.decode()
    # Every proposal with its decision, reason and resulting commitment
    assert "Unsent draft" not in page
    assert "It became commitment XV0101." in page
    assert known_inputs["commitment"].get_absolute_url() in page
    assert "Out of our remit." in page
    # Answers with their group response
    assert "Next plan." in page
    assert "<caption>" in page
    assert 'scope="col"' in page


def _csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_has_one_row_per_published_proposal(client, consultation, known_inputs):
    # When the CSV is downloaded
    response = client.get(reverse("consultations:consultation-report-csv", args=[consultation.pk]))
    # Then it is a UTF-8 (with BOM) attachment, one row per published proposal
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment;" in response["Content-Disposition"]
    rows = _csv_rows(response)
    header, data = rows[0], rows[1:]
    assert header == [
        "reference",
        "title",
        "submitter_type",
        "organisation",
        "status",
        "decision",
        "reason",
        "response_date",
        "commitment_ids",
    ]
    assert len(data) == 6
    by_ref = {row[0]: row for row in data}
    accepted = by_ref[known_inputs["accepted"].reference]
    assert accepted == [
        known_inputs["accepted"].reference,
        "Open contracts",
        "cso",
        "Watchdog, Inc.",
        "accepted",
        "accepted",
        "It became commitment XV0101.",
        "2026-04-02T10:30+02:00",  # the member's time zone (Europe/Paris, summer time)
        "XV0101",
    ]
    # Text that a spreadsheet would run as a formula stays text; accents survive
    assert by_ref[known_inputs["rejected"].reference][1] == '\'=HYPERLINK("x")'
    assert any(row[1] == "Café budgets — “open”" for row in data)
    undecided = [row for row in data if row[4] == "submitted"]
    assert all(row[5:8] == ["", "", ""] for row in undecided)


def test_report_of_an_unannounced_consultation_is_not_public(client, consultation):
    Consultation.objects.filter(pk=consultation.pk).update(notice_published_at=None)
    assert (
        client.get(reverse("consultations:consultation-report", args=[consultation.pk])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("consultations:consultation-report-csv", args=[consultation.pk])
        ).status_code
        == 404
    )


def _many(consultation, n):
    people = UserFactory.create_batch(3)
    orgs = [OrganisationFactory(member=consultation.plan.member) for _ in range(3)]
    proposals = Proposal.objects.bulk_create(
        Proposal(
            consultation=consultation,
            author=people[i % 3],
            organisation=orgs[i % 3] if i % 2 else None,
            submitter_type="cso" if i % 2 else "citizen",
            title=f"Proposal {i}",
            status=ProposalStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for i in range(n)
    )
    commitments = [CommitmentFactory(plan=consultation.plan) for _ in range(3)]
    ProposalCommitmentLink.objects.bulk_create(
        ProposalCommitmentLink(proposal=p, commitment=commitments[i % 3])
        for i, p in enumerate(proposals)
    )
    question = GuidingQuestion.objects.create(consultation=consultation, text="Q?")
    reply = ReasonedResponse.objects.create(
        consultation=consultation, decision="deferred", reason="Later", published_at=timezone.now()
    )
    Answer.objects.bulk_create(
        Answer(question=question, author=people[i % 3], body=f"A{i}", response=reply)
        for i in range(n)
    )
    OfflineEvent.objects.create(
        consultation=consultation,
        channel="workshop",
        held_on=dt.date(2026, 2, 10),
        place="Hall",
        participants_by_sector={"government": 1},
        summary="s",
    )


@pytest.mark.parametrize("n", [5, 300])
def test_report_runs_a_bounded_number_of_queries(
    client, consultation, django_assert_max_num_queries, n
):
    _many(consultation, n)
    # The figures are aggregates (2 GROUP BYs over the proposals) and the proposals are
    # listed 50 a page (a bounded count, the page, its commitment links): the full list is
    # the CSV's.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("consultations:consultation-report", args=[consultation.pk]))
    assert response.status_code == 200
    assert len(response.context["proposals"]) == min(n, 50)
    assert response.context["proposals_count"] == response.context["page_obj"].paginator.count == n


# 1,200 proposals: more than one chunk of the streamed list (a prefetch per chunk of 500
# rows made the 200,000-proposal CSV run 387 queries).
@pytest.mark.parametrize("n", [5, 1200])
def test_csv_runs_a_bounded_number_of_queries(
    client, consultation, django_assert_max_num_queries, n
):
    _many(consultation, n)
    with django_assert_max_num_queries(4):
        response = client.get(
            reverse("consultations:consultation-report-csv", args=[consultation.pk])
        )
        rows = _csv_rows(response)
    assert len(rows) == n + 1
    # Each proposal still names the commitment it shaped.
    linked = {
        f"P-{link.proposal_id}": link.commitment.ogp_id
        for link in ProposalCommitmentLink.objects.select_related("commitment")
    }
    assert all(row[-1] == linked[row[0]] for row in rows[1:])


def test_one_selector_reads_the_report_for_page_csv_pdf_and_open_data(
    consultation, known_inputs, django_assert_max_num_queries
):
    from consultations.selectors import consultation_report, report_proposals

    # Given the known inputs, when the report is read through the selector
    report = consultation_report(consultation)
    # Then its figures are the ones the page shows
    assert report.figures["proposals_count"] == 6
    assert report.figures["proposals_decided"] == 2
    assert (report.figures["answers_count"], report.figures["comments_count"]) == (4, 3)
    # and every published proposal comes with its decision and commitments in fixed queries
    with django_assert_max_num_queries(2):
        proposals = list(report.proposals)
        links = {p.title: [link.commitment.ogp_id for link in p.commitment_links.all()]
                 for p in proposals}  # fmt: skip
    assert len(proposals) == 6
    assert "Unsent draft" not in links
    assert links["Open contracts"] == ["XV0101"]
    with django_assert_max_num_queries(2):
        questions = list(report.questions)
        assert [len(q.answers.all()) for q in questions] == [4]
    # and open data reads the decided ones of many consultations the same way
    decided = report_proposals(Consultation.objects.filter(pk=consultation.pk), decided_only=True)
    assert {p.pk for p in decided} == {known_inputs["accepted"].pk, known_inputs["rejected"].pk}


def test_the_pdf_counts_live_where_the_page_may_read_cached_counts(
    consultation, known_inputs, monkeypatch
):
    # Given a consultation counted as large (its page's counts are kept in the cache)
    from consultations import selectors

    monkeypatch.setattr(selectors, "REPORT_COUNTS_LIVE_UP_TO", 0)
    before = selectors.consultation_report(consultation).figures["proposals_count"]

    # When a proposal is published after the page was counted
    _proposal(consultation, "Late but on time", "citizen")

    # Then the page may lag for a minute, but the archived PDF's counts agree with its list
    assert selectors.consultation_report(consultation).figures["proposals_count"] == before
    live = selectors.consultation_report(consultation, live=True)
    assert live.figures["proposals_count"] == before + 1 == len(list(live.proposals))
