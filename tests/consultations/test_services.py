"""Services of proposals, support and comments: the rules hold whatever calls them."""

import threading
import uuid

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from consultations.choices import Audience, ModerationState, ProposalStatus
from consultations.models import (
    Comment,
    Consultation,
    Flag,
    Proposal,
    ProposalCommitmentLink,
    Support,
)
from consultations.services import comments as comment_services
from consultations.services.comments import (
    RateLimited,
    comment_delete,
    comment_edit,
    comment_flag,
    comment_hide,
    comment_post,
    comment_restore,
)
from consultations.services.proposals import (
    proposal_decide,
    proposal_save,
    proposal_start_review,
    similar_proposals,
    support_add,
    support_remove,
)
from consultations.services.windows import WindowClosed
from ogp_portal.core import page_cache
from ogp_portal.core.errors import DomainError
from ogp_portal.core.models import AuditEvent
from tests.factories import CommitmentFactory, MilestoneFactory, PlanFactory, UserFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- Builders shared by the consultation test modules ---


def make_consultation(plan, *, audience=Audience.VERIFIED_USERS, is_open=True, **fields):
    """A consultation announced 20 days ago, open since an hour (or closed an hour ago)."""
    now = timezone.now()
    defaults = {
        "title": "Ideas for the next plan",
        "kind": "idea_collection",
        "description": "Tell us what the plan should do.",
        "audience": audience,
        "notice_published_at": now - timezone.timedelta(days=20),
        "opens_at": now - timezone.timedelta(hours=1),
        "closes_at": now + timezone.timedelta(days=7),
    }
    if not is_open:
        defaults["opens_at"] = now - timezone.timedelta(days=6)
        defaults["closes_at"] = now - timezone.timedelta(hours=1)
    return Consultation.objects.create(plan=plan, **{**defaults, **fields})


def close_window(consultation):
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timezone.timedelta(minutes=1)
    )
    consultation.refresh_from_db()


def make_proposal(user, consultation, title="Open the court registers", **fields):
    return proposal_save(
        consultation,
        actor=user,
        submit=True,
        title=title,
        problem=fields.pop("problem", "Nobody can see the registers."),
        **fields,
    )


def bulk_comments(proposal, authors, top_level: int, replies_each: int) -> None:
    """Many comments fast (bulk_create), with replies, for the query-count tests."""
    consultation = proposal.consultation
    tops = Comment.objects.bulk_create(
        Comment(
            consultation=consultation,
            proposal=proposal,
            author=authors[i % len(authors)],
            body=f"Comment {i}",
            body_html=f"<p>Comment {i}</p>",
            show_name=i % 3 != 0,
        )
        for i in range(top_level)
    )
    if tops and tops[0].pk is None:  # databases without RETURNING
        tops = list(Comment.objects.filter(proposal=proposal, parent__isnull=True))
    Comment.objects.bulk_create(
        Comment(
            consultation=consultation,
            proposal=proposal,
            parent=top,
            author=authors[(i + j) % len(authors)],
            body=f"Reply {j}",
            body_html=f"<p>Reply {j}</p>",
        )
        for i, top in enumerate(tops)
        for j in range(replies_each)
    )


# --- Fixtures ---


@pytest.fixture
def cso_consultation(plan):
    return make_consultation(plan, audience=Audience.VERIFIED_CSOS, title="CSO round")


@pytest.fixture
def commitment(plan):
    return CommitmentFactory(plan=plan, title="Open justice data")


# --- Proposals ---


def test_the_same_token_twice_makes_one_proposal(citizen, consultation):
    token = uuid.uuid4()
    first = proposal_save(
        consultation, actor=citizen, submit=True, token=token, title="Open courts"
    )
    second = proposal_save(
        consultation, actor=citizen, submit=True, token=token, title="Open courts"
    )
    assert first.pk == second.pk
    assert Proposal.objects.count() == 1
    assert first.submission_token == token


def test_a_draft_is_finished_later_then_submitted(citizen, consultation):
    draft = proposal_save(consultation, actor=citizen, submit=False, title="Half an idea")
    assert draft.status == ProposalStatus.DRAFT
    assert draft.submitted_at is None
    assert not Proposal.objects.published().exists()

    submitted = proposal_save(
        consultation,
        actor=citizen,
        proposal=Proposal.objects.get(pk=draft.pk),
        submit=True,
        title="A whole idea",
        problem="Why it matters.",
    )
    assert submitted.pk == draft.pk
    assert submitted.status == ProposalStatus.SUBMITTED
    assert submitted.submitted_at is not None
    assert AuditEvent.objects.filter(action="consultations.proposal.submitted").count() == 1


def test_someone_else_cannot_change_a_draft(citizen, cso_member, consultation):
    draft = proposal_save(consultation, actor=citizen, submit=False, title="Mine")
    with pytest.raises(DomainError):
        proposal_save(consultation, actor=cso_member, proposal=draft, submit=True, title="Stolen")


def test_attachments_are_stored(citizen, consultation):
    upload = SimpleUploadedFile("idea.pdf", PDF_BYTES, content_type="application/pdf")
    proposal = proposal_save(
        consultation, actor=citizen, submit=True, title="With a file", attachments=[upload]
    )
    attachment = proposal.attachments.get()
    assert attachment.name == "idea.pdf"
    assert attachment.size == len(PDF_BYTES)


def test_nothing_is_submitted_outside_the_window(citizen, consultation):
    close_window(consultation)
    with pytest.raises(WindowClosed, match="closed on"):
        make_proposal(citizen, consultation)
    assert not Proposal.objects.exists()


def test_cso_only_consultation_admits_verified_cso_representatives_only(
    citizen, cso_member, unverified_cso_member, other_member_cso_member, cso, cso_consultation
):
    for outsider in (citizen, unverified_cso_member, other_member_cso_member):
        with pytest.raises(DomainError, match="verified civil-society"):
            make_proposal(outsider, cso_consultation)
    proposal = make_proposal(cso_member, cso_consultation, organisation=cso)
    assert proposal.organisation == cso
    assert proposal.submitter_type == "cso"


def test_only_ones_own_organisation_can_be_named(citizen, cso, consultation):
    with pytest.raises(DomainError, match="organisation you belong to"):
        make_proposal(citizen, consultation, organisation=cso)


def test_decide_needs_a_reason_commitments_and_a_merge_target(
    citizen, civil_servant, consultation, commitment
):
    proposal = make_proposal(citizen, consultation)
    other = make_proposal(citizen, consultation, title="Courts online")
    with pytest.raises(DomainError, match="reasoned response"):
        proposal_decide(
            proposal, actor=civil_servant, decision=ProposalStatus.NOT_ACCEPTED, reason="  "
        )
    with pytest.raises(DomainError, match="commitment"):
        proposal_decide(
            proposal, actor=civil_servant, decision=ProposalStatus.ACCEPTED, reason="Good idea."
        )
    with pytest.raises(DomainError, match="merged into"):
        proposal_decide(
            proposal,
            actor=civil_servant,
            decision=ProposalStatus.MERGED,
            reason="Same idea.",
            commitments=[commitment],
        )
    foreign = CommitmentFactory.create(title="Elsewhere")
    with pytest.raises(DomainError, match="plan only"):
        proposal_decide(
            proposal,
            actor=civil_servant,
            decision=ProposalStatus.ACCEPTED,
            reason="Good.",
            commitments=[foreign],
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED

    decided = proposal_decide(
        proposal,
        actor=civil_servant,
        decision=ProposalStatus.MERGED,
        reason="Same idea as P-2.",
        merged_into=other,
        commitments=[commitment],
    )
    assert decided.status == ProposalStatus.MERGED
    assert decided.merged_into == other
    assert decided.response.published_at is not None
    assert ProposalCommitmentLink.objects.filter(proposal=proposal, commitment=commitment).exists()
    event = AuditEvent.objects.get(action="consultations.proposal.decided")
    assert event.reason == "Same idea as P-2."
    assert event.data["commitments"] == [commitment.ogp_id]
    with pytest.raises(DomainError, match="already been decided"):
        proposal_decide(
            decided,
            actor=civil_servant,
            decision=ProposalStatus.NOT_ACCEPTED,
            reason="Changed my mind.",
        )


def test_deciding_queues_the_proposers_email_on_commit(
    citizen, civil_servant, consultation, django_capture_on_commit_callbacks
):
    proposal = make_proposal(citizen, consultation)
    proposal_start_review(proposal, actor=civil_servant)
    with django_capture_on_commit_callbacks() as callbacks:
        proposal_decide(
            proposal, actor=civil_servant, decision=ProposalStatus.DEFERRED, reason="Next plan."
        )
    # Besides refreshing the cached public pages, one callback: the e-mail.
    assert len([c for c in callbacks if getattr(c, "func", None) is not page_cache.refresh]) == 1


def test_support_counts_once_per_person(citizen, cso_member, consultation):
    proposal = make_proposal(citizen, consultation)
    assert support_add(proposal, actor=citizen) is True
    assert support_add(proposal, actor=citizen) is False
    assert support_add(proposal, actor=cso_member) is True
    proposal.refresh_from_db()
    assert proposal.support_count == 2
    assert support_remove(proposal, actor=citizen) is True
    assert support_remove(proposal, actor=citizen) is False
    proposal.refresh_from_db()
    assert proposal.support_count == 1 == Support.objects.count()


def test_a_draft_cannot_be_supported(citizen, cso_member, consultation):
    draft = proposal_save(consultation, actor=citizen, submit=False, title="Not yet")
    with pytest.raises(DomainError):
        support_add(draft, actor=cso_member)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite serialises writers; run on PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_support_clicks_add_up_exactly(member):
    plan = PlanFactory(member=member, status="co_creation")
    consultation = make_consultation(plan)
    author = UserFactory()
    proposal = make_proposal(author, consultation)
    supporters = [UserFactory() for _ in range(20)]
    repeater = supporters[0]
    # 20 people at once, plus the first of them clicking 5 more times at the same moment.
    clickers = supporters + [repeater] * 5
    barrier = threading.Barrier(len(clickers))
    errors = []

    def click(user):
        from django.db import connection as thread_connection

        try:
            barrier.wait(timeout=20)
            support_add(Proposal.objects.get(pk=proposal.pk), actor=user)
        except Exception as error:  # any failure is reported by the assertion below
            errors.append(error)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=click, args=(user,)) for user in clickers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    proposal.refresh_from_db()
    distinct = Support.objects.filter(proposal=proposal).values("user").distinct().count()
    assert proposal.support_count == 20 == distinct == Support.objects.count()


def test_similar_proposals_share_significant_title_words(citizen, consultation, plan):
    make_proposal(citizen, consultation, title="Open the court registers to the public")
    make_proposal(citizen, consultation, title="Publish court decisions online")
    make_proposal(citizen, consultation, title="Better bus timetables")
    proposal_save(consultation, actor=citizen, submit=False, title="Court registers draft")
    elsewhere = make_consultation(PlanFactory(), title="Another member")
    make_proposal(UserFactory(), elsewhere, title="Court registers abroad")

    titles = [p.title for p in similar_proposals(consultation, "Court registers for all")]
    # Best match first; drafts and other plans never; unrelated titles never.
    assert titles == ["Open the court registers to the public", "Publish court decisions online"]
    assert similar_proposals(consultation, "the and of") == []


def test_similar_proposals_stay_bounded(citizen, consultation, django_assert_max_num_queries):
    Proposal.objects.bulk_create(
        Proposal(
            consultation=consultation,
            author=citizen,
            submitter_type="citizen",
            title=f"Court registers number {i}",
            status=ProposalStatus.SUBMITTED,
            submitted_at=timezone.now(),
            submission_token=uuid.uuid4(),
        )
        for i in range(200)
    )
    with django_assert_max_num_queries(1):
        found = similar_proposals(consultation, "Court registers")
    assert len(found) == 5


def test_adoption_waits_for_every_reasoned_response(citizen, civil_servant, member, client_for):
    from plans.services import plan_transition

    plan = PlanFactory(member=member, status="reasoned_response")
    commitment = CommitmentFactory(plan=plan)
    MilestoneFactory(commitment=commitment)
    consultation = make_consultation(plan)
    proposal = make_proposal(citizen, consultation, title="Unanswered idea")
    proposal_save(consultation, actor=citizen, submit=False, title="A draft does not count")
    # The window has closed since (an open window blocks adoption by itself).
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timezone.timedelta(minutes=1)
    )

    with pytest.raises(DomainError, match="Unanswered idea"):
        plan_transition(plan, actor=civil_servant, to_status="adopted")
    page = client_for(civil_servant).get(plan.get_absolute_url()).content.decode()
    assert f"P-{proposal.pk}" in page
    assert "“Unanswered idea”" in page
    assert "A draft does not count" not in page

    proposal_decide(
        proposal,
        actor=civil_servant,
        decision=ProposalStatus.OUT_OF_SCOPE,
        reason="Not for this plan.",
    )
    plan_transition(plan, actor=civil_servant, to_status="adopted")
    plan.refresh_from_db()
    assert plan.status == "adopted"


# --- Comments ---


def test_comment_body_is_sanitised_markdown(citizen, consultation):
    proposal = make_proposal(citizen, consultation)
    comment = comment_post(
        consultation,
        actor=citizen,
        proposal=proposal,
        body="**bold** <script>alert(1)</script> <img src=x onerror=alert(2)>",
    )
    assert "<strong>bold</strong>" in comment.body_html
    assert "<script" not in comment.body_html
    assert "<img" not in comment.body_html
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


def test_comment_length_is_capped(citizen, consultation):
    proposal = make_proposal(citizen, consultation)
    with pytest.raises(DomainError, match="limited to 5000"):
        comment_post(consultation, actor=citizen, proposal=proposal, body="x" * 5001)


def test_the_eleventh_comment_in_five_minutes_is_refused(citizen, consultation):
    proposal = make_proposal(citizen, consultation)
    for i in range(comment_services.MAX_COMMENTS_PER_ACCOUNT):
        comment_post(consultation, actor=citizen, proposal=proposal, body=f"Point {i}")
    with pytest.raises(RateLimited):
        comment_post(consultation, actor=citizen, proposal=proposal, body="One more")
    assert Comment.objects.count() == 10
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=6)):
        comment_post(consultation, actor=citizen, proposal=proposal, body="Later")


def test_replies_stay_one_level_deep(citizen, cso_member, consultation):
    proposal = make_proposal(citizen, consultation)
    top = comment_post(consultation, actor=citizen, proposal=proposal, body="Top")
    reply = comment_post(
        consultation, actor=cso_member, proposal=proposal, parent=top, body="Reply"
    )
    answer = comment_post(
        consultation, actor=citizen, proposal=proposal, parent=reply, body="Again"
    )
    assert reply.parent == top
    assert answer.parent == top


def test_comments_need_an_open_window_and_the_right_audience(citizen, cso_member, cso_consultation):
    proposal = make_proposal(cso_member, cso_consultation)
    with pytest.raises(DomainError, match="verified civil-society"):
        comment_post(cso_consultation, actor=citizen, proposal=proposal, body="Hello")
    close_window(cso_consultation)
    with pytest.raises(WindowClosed):
        comment_post(cso_consultation, actor=cso_member, proposal=proposal, body="Too late")


def test_comments_on_a_draft_commitment(citizen, consultation, commitment):
    comment = comment_post(
        consultation, actor=citizen, commitment=commitment, body="Add a deadline"
    )
    assert comment.commitment == commitment
    assert comment.proposal is None


def test_edit_within_fifteen_minutes_then_delete(citizen, cso_member, consultation):
    proposal = make_proposal(citizen, consultation)
    comment = comment_post(consultation, actor=citizen, proposal=proposal, body="Frist")
    with pytest.raises(DomainError):
        comment_edit(comment, actor=cso_member, body="Not mine")
    comment_edit(comment, actor=citizen, body="First")
    assert comment.edited_at is not None
    assert comment.body == "First"
    with (
        time_machine.travel(timezone.now() + timezone.timedelta(minutes=16)),
        pytest.raises(DomainError, match="15 minutes"),
    ):
        comment_edit(comment, actor=citizen, body="Too late")
    with pytest.raises(DomainError):
        comment_delete(comment, actor=cso_member)
    comment_delete(comment, actor=citizen)
    comment.refresh_from_db()
    assert comment.deleted_at is not None
    assert comment.body == comment.body_html == ""


def test_hide_and_restore_are_recorded_with_the_reason(
    citizen, cso_member, moderator, consultation
):
    proposal = make_proposal(citizen, consultation)
    comment = comment_post(consultation, actor=citizen, proposal=proposal, body="Rude words")
    comment_flag(comment, actor=cso_member, reason="Insulting")
    with pytest.raises(DomainError):
        comment_hide(comment, actor=moderator, reason=" ")

    comment_hide(comment, actor=moderator, reason="Insults another participant")
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.HIDDEN
    assert comment.hidden_reason == "Insults another participant"
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    hidden = AuditEvent.objects.get(action="consultations.comment.hidden")
    assert hidden.reason == "Insults another participant"
    assert hidden.actor == moderator

    comment_restore(comment, actor=moderator, reason="Reviewed again")
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.PUBLISHED
    assert comment.hidden_reason == ""
    assert AuditEvent.objects.get(action="consultations.comment.restored").reason == (
        "Reviewed again"
    )
