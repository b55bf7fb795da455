"""A public record with its drafts and private data beside it, for the API tests.

Everything that must never reach the API carries the word SECRET (or is an e-mail address),
so a test can look for it in every answer."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from commitments.models import ProgressUpdate
from consultations.models import Answer, GuidingQuestion, InputEntry, ReasonedResponse
from forums.choices import MeetingStatus, Sector
from forums.models import Decision, ForumMeeting, MeetingAttendance
from tests.consultations.test_services import make_consultation, make_proposal
from tests.factories import (
    CommitmentFactory,
    MilestoneFactory,
    OrganisationFactory,
    PlanFactory,
    PolicyAreaFactory,
    UserFactory,
    join,
)
from tests.forums.factories import ForumFactory, ForumSeatFactory, allocate

SECRET = "SECRET"


@dataclass
class Record:
    plan: object
    commitment: object
    proposal: object
    answer: object
    meeting: object
    forum: object
    emails: list[str] = field(default_factory=list)


def _meeting(forum, title, **fields):
    now = timezone.now()
    return ForumMeeting.objects.create(
        forum=forum,
        title=title,
        starts_at=now - dt.timedelta(days=10),
        ends_at=now - dt.timedelta(days=10) + dt.timedelta(hours=2),
        location="Town hall",
        agenda="Progress of the plan",
        **fields,
    )


@pytest.fixture
def api_record(member, cso, cso_member, citizen):
    """Member A's public record (a plan in implementation, its commitments, a consultation
    with decided input, a forum with a meeting whose minutes are published), and beside it
    everything private: a plan in planning, commitments still being drafted, a consultation
    not announced, a draft proposal, an unpublished response, unpublished minutes and their
    decisions, a past seat, an unverified organisation and everyone's e-mail addresses."""
    cso.contact_email = "secret-contact@example.org"
    cso.save()
    # --- public ---
    # Input is given while the plan is co-created; the plan is in implementation by the end.
    plan = PlanFactory(member=member, status="co_creation", title="Public plan")
    area = PolicyAreaFactory(plan=plan, name="Open justice")
    commitment = CommitmentFactory(plan=plan, policy_area=area, title="Open the registers")
    commitment.supporting_organisations.add(cso)
    milestone = MilestoneFactory(commitment=commitment, description="Publish the data")
    ProgressUpdate.objects.create(
        commitment=commitment, milestone=milestone, author=cso_member, narrative="Half done"
    )
    consultation = make_consultation(plan, title="Public consultation")
    proposal = make_proposal(cso_member, consultation, title="Public proposal", organisation=cso)
    proposal.response = ReasonedResponse.objects.create(
        consultation=consultation,
        decision="accepted",
        reason="Public reason",
        published_at=timezone.now(),
        responder=cso_member,
    )
    proposal.save()
    question = GuidingQuestion.objects.create(consultation=consultation, text="What first?")
    answer = Answer.objects.create(
        question=question,
        author=citizen,
        body="Public answer",
        response=ReasonedResponse.objects.create(
            consultation=consultation,
            decision="not_accepted",
            reason="Public answer reason",
            published_at=timezone.now(),
        ),
    )
    # The ledger: an input typed in by staff (who gave it and how to reach them stay private)
    # answered by a published response.
    InputEntry.objects.create(
        plan=plan, consultation=consultation, kind="offline", channel="paper",
        title="Public paper input", text="Public typed text", author_name="SECRET typed name",
        contact="SECRET phone 555 0101", recorded_by=cso_member, organisation=cso,
        response=ReasonedResponse.objects.create(
            plan=plan, consultation=consultation, decision="accepted", status="published",
            reason="Public ledger reason", published_at=timezone.now(),
        ),
    )  # fmt: skip
    forum = ForumFactory(member=member, name="Public forum")
    allocate(forum, **{Sector.GOVERNMENT: 3, Sector.CIVIL_SOCIETY: 3})
    ForumSeatFactory(forum=forum, name="Public seat holder", organisation=cso, user=cso_member)
    meeting = _meeting(
        forum,
        "Public meeting",
        status=MeetingStatus.MINUTES_PUBLISHED,
        minutes_text="Public minutes",
        minutes_published_at=timezone.now(),
    )
    Decision.objects.create(meeting=meeting, text="Public decision")
    MeetingAttendance.objects.create(meeting=meeting, sector=Sector.GOVERNMENT, count=4)

    # --- private ---
    planning = PlanFactory(member=member, status="planning", title="SECRET plan in planning")
    drafting = PlanFactory(member=member, status="drafting", title="Plan being drafted")
    PolicyAreaFactory(plan=PlanFactory(member=member, status="planning"), name="SECRET area")
    drafted = CommitmentFactory(plan=drafting, title="SECRET commitment being drafted")
    MilestoneFactory(commitment=drafted, description="SECRET milestone")
    ProgressUpdate.objects.create(commitment=drafted, narrative="SECRET progress")
    make_consultation(plan, title="SECRET consultation", notice_published_at=None)
    from consultations.services.proposals import proposal_save

    proposal_save(consultation, actor=citizen, submit=False, title="SECRET draft proposal")
    undecided = make_proposal(citizen, consultation, title="Undecided proposal")
    undecided.response = ReasonedResponse.objects.create(
        consultation=consultation, decision="not_accepted", reason="SECRET unpublished reason"
    )
    undecided.save()
    Answer.objects.create(
        question=question,
        author=citizen,
        body="Another answer",
        response=ReasonedResponse.objects.create(
            consultation=consultation, decision="accepted", reason="SECRET answer reason"
        ),
    )
    InputEntry.objects.create(
        plan=plan, kind="comment", channel="online", title="SECRET hidden input",
        text="SECRET hidden comment", is_public=False,
    )  # fmt: skip
    InputEntry.objects.create(
        plan=plan, kind="offline", channel="phone", title="Input with a draft response",
        response=ReasonedResponse.objects.create(
            plan=plan, decision="accepted", status="draft", reason="SECRET draft ledger reason"
        ),
    )  # fmt: skip
    InputEntry.objects.create(
        plan=planning, kind="offline", channel="email", title="SECRET input of a plan in planning"
    )
    unverified = OrganisationFactory(member=member, name="SECRET unverified", verified_at=None)
    outsider = UserFactory(email="secret-member@example.org")
    join(outsider, unverified)
    held = _meeting(forum, "Held meeting", status=MeetingStatus.HELD, minutes_text="SECRET minutes")
    Decision.objects.create(meeting=held, text="SECRET decision before the minutes")
    ForumSeatFactory(
        forum=forum,
        name="SECRET past seat holder",
        term_starts_on=timezone.localdate() - dt.timedelta(days=900),
        term_ends_on=timezone.localdate() - dt.timedelta(days=100),
    )
    type(plan).objects.filter(pk=plan.pk).update(status="implementation")
    plan.refresh_from_db()
    emails = [cso_member.email, citizen.email, outsider.email, cso.contact_email]
    return Record(plan, commitment, proposal, answer, meeting, forum, emails)
