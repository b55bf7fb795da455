"""The bench's integrity check counts what the counters count, so it cannot pass wrongly.

A proposal's comment counter is the number of comments not deleted by their author (the
services decrement on delete; a hidden comment keeps its place). The check used to compare
it with every comment row, deleted ones included, and reported a mismatch it then ignored."""

from django.urls import reverse

from consultations.models import Proposal
from consultations.services.comments import comment_post
from tests.perf.django_side import counter_mismatches


def test_counters_after_posts_deletes_and_support_match_the_check(
    client_for, citizen, cso_member, proposal, consultation
):
    first = comment_post(consultation, actor=citizen, proposal=proposal, body="One")
    comment_post(consultation, actor=cso_member, proposal=proposal, body="Two")
    client_for(citizen).post(reverse("consultations:comment-delete", args=[first.pk]))
    client_for(citizen).post(reverse("consultations:proposal-support", args=[proposal.pk]))
    proposal.refresh_from_db()
    assert (proposal.comment_count, proposal.support_count) == (1, 1)
    assert counter_mismatches() == []


def test_a_counter_that_drifted_is_reported(citizen, proposal, consultation):
    comment_post(consultation, actor=citizen, proposal=proposal, body="One")
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=5)
    assert counter_mismatches() == [
        {
            "proposal": proposal.pk,
            "comment_count": 5,
            "comment_rows": 1,
            "support_count": 0,
            "support_rows": 0,
        }
    ]
