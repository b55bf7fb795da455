"""Every collection of the API answers a full page in a fixed number of queries, however many
records there are (issue #18: bounded queries per list endpoint)."""

import datetime as dt

import pytest
from django.utils import timezone

from commitments.models import Commitment, Milestone, ProgressUpdate
from consultations.models import (
    Answer,
    GuidingQuestion,
    InputEntry,
    Proposal,
    ProposalCommitmentLink,
    ReasonedResponse,
)
from forums.choices import MeetingStatus, Sector
from forums.models import Decision, ForumMeeting, ForumSeat, MeetingAttendance
from ogp_portal.organisations.models import Organisation
from tests.consultations.test_services import make_consultation
from tests.factories import MemberFactory, PlanFactory, PolicyAreaFactory
from tests.forums.factories import ForumFactory, allocate

from .test_api import COLLECTIONS

pytestmark = pytest.mark.django_db

# Records of each kind: more than one full page (page_size=200), enough to show an N+1.
N = 240
# Queries for one page: the page itself and at most three prefetches of related rows.
MAX_QUERIES = 4


@pytest.fixture
def national_record(member):
    now = timezone.now()
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"CSO {i}", kind="cso", member=member, verified_at=now) for i in range(N)
    )
    for i in range(N // 20):
        PlanFactory(member=MemberFactory(slug=f"m-{i}"), status="adopted")
    plan = PlanFactory(member=member, status="implementation")
    areas = [PolicyAreaFactory(plan=plan, name=f"Area {i}") for i in range(10)]
    commitments = Commitment.objects.bulk_create(
        Commitment(
            plan=plan,
            ogp_id=f"XV{i:04d}",
            title=f"Commitment {i}",
            summary="Open data",
            lead_institution="Ministry",
            lead_organisation=organisations[i],
            policy_area=areas[i % 10],
            start_date=plan.period_start,
            end_date=plan.period_end,
        )
        for i in range(N)
    )
    Commitment.supporting_organisations.through.objects.bulk_create(
        Commitment.supporting_organisations.through(
            commitment_id=c.pk, organisation_id=organisations[(i + 1) % N].pk
        )
        for i, c in enumerate(commitments)
    )
    milestones = Milestone.objects.bulk_create(
        Milestone(commitment=c, description="Step", start_date=c.start_date, due_date=c.end_date)
        for c in commitments
    )
    ProgressUpdate.objects.bulk_create(
        ProgressUpdate(commitment=m.commitment, milestone=m, narrative="Done") for m in milestones
    )
    consultation = make_consultation(plan)
    responses = ReasonedResponse.objects.bulk_create(
        ReasonedResponse(
            consultation=consultation, decision="accepted", reason="Yes", published_at=now
        )
        for _ in range(2 * N)
    )
    proposals = Proposal.objects.bulk_create(
        Proposal(
            consultation=consultation,
            submitter_type="cso",
            organisation=organisations[i],
            title=f"Proposal {i}",
            status="accepted",
            response=responses[i],
            submitted_at=now,
        )
        for i in range(N)
    )
    ProposalCommitmentLink.objects.bulk_create(
        ProposalCommitmentLink(proposal=p, commitment=commitments[i])
        for i, p in enumerate(proposals)
    )
    question = GuidingQuestion.objects.create(consultation=consultation, text="What first?")
    Answer.objects.bulk_create(
        Answer(question=question, body="This", organisation=organisations[i], response=r)
        for i, r in enumerate(responses[N:])
    )
    # The ledger: one entry per proposal, each with its organisation, area and response.
    InputEntry.objects.bulk_create(
        InputEntry(
            plan=plan, consultation=consultation, kind="proposal", channel="online",
            proposal=p, organisation=organisations[i], title=p.title, response=responses[i],
        )
        for i, p in enumerate(proposals)
    )  # fmt: skip
    forum = ForumFactory(member=member)
    allocate(forum, **{Sector.GOVERNMENT: 5, Sector.CIVIL_SOCIETY: 5})
    meetings = ForumMeeting.objects.bulk_create(
        ForumMeeting(
            forum=forum,
            title=f"Meeting {i}",
            starts_at=now - dt.timedelta(days=i + 1),
            location="Hall",
            agenda="Plan",
            status=MeetingStatus.MINUTES_PUBLISHED,
            minutes_text="Minutes",
            minutes_published_at=now,
        )
        for i in range(N)
    )
    Decision.objects.bulk_create(Decision(meeting=m, text="Agreed") for m in meetings)
    MeetingAttendance.objects.bulk_create(
        MeetingAttendance(meeting=m, sector=Sector.GOVERNMENT, count=3) for m in meetings
    )
    today = timezone.localdate()
    ForumSeat.objects.bulk_create(
        ForumSeat(
            forum=forum,
            name=f"Person {i}",
            organisation=organisations[i],
            sector=Sector.CIVIL_SOCIETY,
            term_starts_on=today - dt.timedelta(days=10),
            term_ends_on=today + dt.timedelta(days=300),
        )
        for i in range(N)
    )


# Collections of which the data set has a few records (one forum, a few dozen plans).
SMALL = {"members", "plans", "policy-areas", "consultations", "forums"}


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_a_full_page_costs_a_fixed_number_of_queries(
    client, national_record, collection, django_assert_max_num_queries
):
    url = f"/api/v1/{collection}/?page_size=200"
    with django_assert_max_num_queries(MAX_QUERIES):
        first = client.get(url)
    assert first.status_code == 200
    page = first.json()
    if collection not in SMALL:
        assert len(page["results"]) == 200
        assert page["next"]
        with django_assert_max_num_queries(MAX_QUERIES):
            assert client.get(page["next"]).status_code == 200
    lookup = COLLECTIONS[collection]
    with django_assert_max_num_queries(MAX_QUERIES):
        detail = client.get(f"/api/v1/{collection}/{page['results'][0][lookup]}/")
    assert detail.status_code == 200
