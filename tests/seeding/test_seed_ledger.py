"""The scale seed's ledger (issue #15): one entry per source input, matching its source,
and pages that render over it."""

import pytest
from django.db.models import F, Q
from django.urls import reverse

from consultations.models import (
    Answer,
    Comment,
    InputEntry,
    OfflineEvent,
    Proposal,
    ProposalCommitmentLink,
    ReasonedResponse,
)
from plans.models import ActionPlan

from .test_seed_scale import _seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(django_db_blocker):
    _seed()


def test_every_source_input_has_one_matching_entry(seeded):
    proposals = Proposal.objects.exclude(status="draft")
    commitment_comments = Comment.objects.filter(commitment__isnull=False, parent__isnull=True)
    assert proposals.exists()
    assert Answer.objects.exists()
    assert commitment_comments.exists()
    assert OfflineEvent.objects.exists()
    entries = InputEntry.objects
    assert entries.filter(kind="proposal").count() == proposals.count()
    assert entries.filter(kind="answer").count() == Answer.objects.count()
    assert entries.filter(kind="comment").count() == commitment_comments.count()
    assert entries.filter(kind="offline").count() == OfflineEvent.objects.count()
    assert not entries.filter(proposal__status="draft").exists()
    # Each entry mirrors its source: plan, consultation, author, response.
    proposal_entries = entries.filter(kind="proposal")
    assert not proposal_entries.exclude(plan=F("proposal__consultation__plan")).exists()
    assert not proposal_entries.exclude(consultation=F("proposal__consultation")).exists()
    assert not proposal_entries.exclude(
        Q(response=F("proposal__response")) | Q(response=None, proposal__response=None)
    ).exists()
    assert not proposal_entries.exclude(author=F("proposal__author")).exists()
    answer_entries = entries.filter(kind="answer")
    assert not answer_entries.exclude(plan=F("answer__question__consultation__plan")).exists()
    assert not answer_entries.exclude(
        Q(response=F("answer__response")) | Q(response=None, answer__response=None)
    ).exists()
    comment_entries = entries.filter(kind="comment")
    assert not comment_entries.exclude(commitment=F("comment__commitment")).exists()
    hidden = commitment_comments.filter(
        ~Q(moderation_state="published") | Q(deleted_at__isnull=False)
    )
    assert entries.filter(is_public=False).count() == hidden.count()
    assert not entries.filter(title="").exists()
    assert not entries.filter(received_on=None).exists()


def test_summarised_consultations_answer_their_inputs_and_responses_link_commitments(seeded):
    summarised = InputEntry.objects.exclude(kind="proposal").filter(
        consultation__summary_published_at__isnull=False
    )
    assert summarised.exists()
    assert not summarised.filter(response=None).exists()
    assert not summarised.filter(response__published_at=None).exists()
    # Windows whose summary is not out yet leave their answers waiting.
    waiting = InputEntry.objects.exclude(kind="proposal").filter(
        consultation__summary_published_at=None
    )
    assert not waiting.filter(response__isnull=False).exists()
    links = ProposalCommitmentLink.objects.filter(proposal__response__isnull=False)
    assert links.exists()
    for link in links[:50]:
        assert link.commitment in link.proposal.response.commitments.all()
    assert ReasonedResponse.objects.filter(entries__isnull=True).count() == 0


def test_the_ledger_pages_render_over_the_seeded_data(
    seeded, client, django_assert_max_num_queries
):
    plan = ActionPlan.objects.filter(input_entries__isnull=False).order_by("pk").first()
    url = reverse("ledger:input-list", args=[plan.pk])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
    entry = InputEntry.objects.filter(plan=plan).public().first()
    assert client.get(entry.get_absolute_url()).status_code == 200
