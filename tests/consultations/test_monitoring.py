"""Monitoring during implementation, from outside: from the plan's adoption to its end date
anyone with a verified account comments on a commitment's progress, the commitment lead
answers in public, moderators hide as elsewhere; before adoption and after the end date the
form is refused with a message."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from consultations.choices import InputKind, ModerationState
from consultations.models import Comment, InputEntry
from ogp_portal.core.models import AuditEvent, Notification
from tests.factories import CommitmentFactory, PlanFactory, UserFactory

from .test_services import close_window, make_consultation

CREATE = "consultations:comment-create"
DURING = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
AFTER_END = dt.datetime(2028, 1, 2, 12, tzinfo=dt.UTC)


@pytest.fixture
def plan(member, commitment_lead):
    # commitment_lead first: the commitment's lead organisation is the lead's ministry.
    return PlanFactory(member=member, status="implementation")


@pytest.fixture
def commitment(plan):
    return CommitmentFactory(plan=plan)


def post(client, commitment, body, **extra):
    return client.post(reverse(CREATE), {"commitment": commitment.ogp_id, "body": body, **extra})


@time_machine.travel(DURING, tick=False)
def test_a_citizen_comments_on_progress_and_the_lead_answers_in_public(
    client_for, citizen, commitment_lead, commitment, plan
):
    # Given an old consultation of the plan, long closed
    close_window(make_consultation(plan))
    page = client_for(citizen).get(commitment.get_absolute_url()).content.decode()
    assert "comment on this commitment’s progress" in page
    assert 'name="body"' in page

    # When a citizen comments
    response = post(client_for(citizen), commitment, "Milestone 2 looks late.", show_name="on")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert comment.consultation is None
    assert not comment.is_lead_answer

    # And the lead replies
    response = post(
        client_for(commitment_lead), commitment, "It ships in July.", parent=str(comment.pk)
    )
    answer = Comment.objects.get(parent=comment)
    assert response.status_code == 302
    assert answer.is_lead_answer

    # Then everyone sees the question and the lead's answer, marked as such
    html = client_for(UserFactory()).get(commitment.get_absolute_url()).content.decode()
    assert "Milestone 2 looks late." in html
    assert "It ships in July." in html
    assert "Answer from the commitment lead" in html
    anonymous = commitment.get_absolute_url()
    assert "Answer from the commitment lead" in client_for(citizen).get(anonymous).content.decode()
    # And the answer is evidence in the audit trail; the citizen is told
    assert AuditEvent.objects.filter(
        action="consultations.monitoring_comment.answered", target_id=str(comment.pk)
    ).exists()
    # And the comment is in the plan's ledger, answered by the lead's reply
    entry = InputEntry.objects.get(comment=comment)
    assert entry.kind == InputKind.MONITORING
    assert entry.response.published_at is not None
    assert entry.response.reason == "It ships in July."
    assert not InputEntry.objects.filter(comment=answer).exists()
    ledger = client_for(UserFactory()).get(reverse("ledger:input-list", args=[plan.pk]))
    assert "Comment during implementation" in ledger.content.decode()
    assert ">Answered</a>" in ledger.content.decode()
    note = Notification.objects.get(kind="comment.reply", recipient=citizen)
    assert "The commitment lead answered your comment" in note.body


@time_machine.travel(DURING, tick=False)
def test_a_citizen_reply_is_not_a_lead_answer(client_for, citizen, cso_member, commitment):
    post(client_for(citizen), commitment, "Any news?")
    comment = Comment.objects.get()
    post(client_for(cso_member), commitment, "Same question.", parent=str(comment.pk))
    assert not Comment.objects.get(parent=comment).is_lead_answer


@time_machine.travel(DURING, tick=False)
def test_an_unverified_account_is_refused(client_for, commitment):
    unverified = UserFactory(verified=False)
    response = post(client_for(unverified), commitment, "Let me in")
    assert response.status_code == 200
    assert "verified e-mail address" in response.content.decode()
    assert not Comment.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_anonymous_visitors_are_sent_to_sign_in(client, commitment):
    response = post(client, commitment, "Hello")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Comment.objects.exists()


@time_machine.travel(AFTER_END, tick=False)
def test_after_the_plan_end_date_comments_are_refused_with_a_message(
    client_for, citizen, commitment
):
    page = client_for(citizen).get(commitment.get_absolute_url()).content.decode()
    assert "implementation period ended on" in page
    response = post(client_for(citizen), commitment, "Too late, I know")
    assert response.status_code == 200
    html = response.content.decode()
    assert "implementation period ended on" in html
    assert ">Too late, I know</textarea>" in html
    assert not Comment.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_before_adoption_there_is_no_monitoring(client_for, citizen, member):
    drafting = PlanFactory(member=member, status="reasoned_response")
    commitment = CommitmentFactory(plan=drafting)
    close_window(make_consultation(drafting))
    response = post(client_for(citizen), commitment, "Early bird")
    assert response.status_code == 200
    assert "new input is no longer accepted" in response.content.decode()
    assert not Comment.objects.exists()


@time_machine.travel(DURING, tick=False)
def test_a_window_of_the_adopted_plan_does_not_take_the_comment(
    client_for, citizen, plan, commitment
):
    make_consultation(plan)  # a window set up after adoption takes no input
    post(client_for(citizen), commitment, "On progress")
    assert Comment.objects.get().consultation is None


@time_machine.travel(DURING, tick=False)
def test_moderators_of_the_member_hide_monitoring_comments(
    client_for, citizen, moderator, other_member, commitment
):
    post(client_for(citizen), commitment, "Rude words")
    comment = Comment.objects.get()

    outsider = UserFactory()
    from ogp_portal.organisations.choices import Role
    from tests.factories import grant

    grant(outsider, Role.MODERATOR, other_member)
    hide = reverse("consultations:comment-hide", args=[comment.pk])
    assert client_for(outsider).post(hide, {"reason": "No"}).status_code == 403
    assert client_for(citizen).post(hide, {"reason": "No"}).status_code == 403

    response = client_for(moderator).post(hide, {"reason": "Insults"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.moderation_state == ModerationState.HIDDEN
    html = client_for(citizen).get(commitment.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: Insults" in html
    assert "Rude words" not in html
    # And it leaves the public ledger
    assert not InputEntry.objects.get(comment=comment).is_public


@time_machine.travel(DURING, tick=False)
def test_flagged_monitoring_comments_reach_the_plans_moderation_queue(
    client_for, citizen, cso_member, moderator, plan, commitment
):
    post(client_for(citizen), commitment, "Nonsense about the minister")
    comment = Comment.objects.get()
    client_for(cso_member).post(
        reverse("consultations:comment-flag", args=[comment.pk]), {"reason": "Insulting"}
    )
    queue = reverse("consultations:monitoring-moderation-queue", args=[plan.pk])
    assert client_for(citizen).get(queue).status_code == 403
    page = client_for(moderator).get(commitment.get_absolute_url()).content.decode()
    assert queue in page
    html = client_for(moderator).get(queue).content.decode()
    assert "Nonsense about the minister" in html
    assert "Insulting" in html
