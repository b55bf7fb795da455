"""Consultation reminders (opens, closes in 3 and 1 days, proposals left unanswered) and
events (a decision on your proposal, a reply to your comment), and the follow button."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.choices import Audience, ProposalStatus
from consultations.models import Consultation, ReminderSignup
from consultations.services.comments import comment_post
from consultations.services.proposals import proposal_decide
from ogp_portal.core.models import Notification
from ogp_portal.core.notifications import preferences_set
from ogp_portal.core.reminders import scan
from tests.factories import UserFactory

from .test_services import make_proposal

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)


def window(plan, *, opens_at, closes_at, title="Ideas for the next plan"):
    return Consultation.objects.create(
        plan=plan,
        title=title,
        kind="idea_collection",
        audience=Audience.VERIFIED_USERS,
        description="Tell us what the plan should do.",
        notice_published_at=opens_at - dt.timedelta(days=20),
        opens_at=opens_at,
        closes_at=closes_at,
    )


def follow(user, consultation):
    return ReminderSignup.objects.create(user=user, consultation=consultation)


def notified(kind, **filters):
    return sorted(
        Notification.objects.filter(kind=kind, **filters).values_list("recipient__email", flat=True)
    )


# --- opens -----------------------------------------------------------------------------------


def test_followers_hear_when_it_opens_and_not_a_minute_before(plan, citizen):
    # Given a consultation that opens next year, followed by a citizen
    opens_at = dt.datetime(2027, 5, 1, 9, tzinfo=PARIS)
    consultation = window(plan, opens_at=opens_at, closes_at=opens_at + 10 * DAY)
    follow(citizen, consultation)
    bystander = UserFactory(email="bystander@example.org")
    # A minute before it opens: nothing
    assert scan(opens_at - MINUTE) == 0
    # When it opens: the follower, once
    scan(opens_at)
    scan(opens_at + 5 * MINUTE)
    assert notified("consultation.opened") == ["citizen@example.org"]
    note = Notification.objects.get(kind="consultation.opened")
    assert note.url == consultation.get_absolute_url()
    assert "Ideas for the next plan" in note.subject
    assert not Notification.objects.filter(recipient=bystander).exists()


def test_someone_who_follows_an_open_consultation_is_not_told_it_opened(plan, citizen):
    now = timezone.now()
    consultation = window(plan, opens_at=now - DAY, closes_at=now + 10 * DAY)
    follow(citizen, consultation)
    scan(now)
    assert notified("consultation.opened") == []


# --- closes in 3 days / 1 day ----------------------------------------------------------------


@pytest.fixture
def closing(plan, citizen, cso_member, other_member_cso_member, civil_servant):
    """Open since April, closes 20 May 2027 17:00 Paris; followed by a citizen."""
    closes_at = dt.datetime(2027, 5, 20, 17, tzinfo=PARIS)
    consultation = window(plan, opens_at=closes_at - 30 * DAY, closes_at=closes_at)
    follow(citizen, consultation)
    return consultation


def test_closing_reminders_fire_at_3_days_and_at_1_day(closing):
    closes_at = closing.closes_at
    # A minute before the 3-day edge: nothing
    scan(closes_at - 3 * DAY - MINUTE)
    assert notified("consultation.closing") == []
    # At the 3-day edge: the follower and the people of member A's verified CSOs
    scan(closes_at - 3 * DAY)
    assert notified("consultation.closing") == ["citizen@example.org", "cso@example.org"]
    assert Notification.objects.filter(subject__contains="closes in 3 days").count() == 2
    # A minute before the 1-day edge: nothing new
    scan(closes_at - DAY - MINUTE)
    assert Notification.objects.filter(kind="consultation.closing").count() == 2
    # At the 1-day edge: each of them again, saying one day
    scan(closes_at - DAY)
    assert notified("consultation.closing", subject__contains="closes in 1 day") == [
        "citizen@example.org",
        "cso@example.org",
    ]
    # Once it has closed, no more
    scan(closes_at)
    assert Notification.objects.filter(kind="consultation.closing").count() == 4
    # A CSO of another member and the civil servant got nothing
    assert not Notification.objects.filter(
        recipient__email__in=["cso.b@example.org", "civil.servant@example.org"]
    ).exists()


def test_a_scan_that_missed_the_3_day_edge_sends_only_the_1_day_reminder(closing):
    scan(closing.closes_at - 12 * dt.timedelta(hours=1))
    assert notified("consultation.closing") == ["citizen@example.org", "cso@example.org"]
    assert not Notification.objects.filter(subject__contains="3 days").exists()


def test_an_extended_consultation_reminds_again(closing):
    # Given the 1-day reminder was sent
    scan(closing.closes_at - DAY)
    assert Notification.objects.filter(kind="consultation.closing").count() == 2
    # When the government extends the window by a week
    new_close = closing.closes_at + 7 * DAY
    Consultation.objects.filter(pk=closing.pk).update(closes_at=new_close)
    # Then the new closing time is reminded again, 3 days before it
    scan(new_close - 3 * DAY - MINUTE)
    assert Notification.objects.filter(kind="consultation.closing").count() == 2
    scan(new_close - 3 * DAY)
    assert Notification.objects.filter(kind="consultation.closing").count() == 4


# --- proposals without a reasoned response ---------------------------------------------------


def test_civil_servants_hear_of_proposals_still_unanswered_14_days_after_closing(
    plan, cso_member, civil_servant, other_member_civil_servant
):
    # Given an open consultation with two proposals, one of them answered
    now = timezone.now()
    consultation = window(plan, opens_at=now - DAY, closes_at=now + DAY)
    waiting = make_proposal(cso_member, consultation, title="Open the court registers")
    answered = make_proposal(cso_member, consultation, title="Publish budgets")
    proposal_decide(
        answered, actor=civil_servant, decision=ProposalStatus.NOT_ACCEPTED, reason="Out of budget."
    )
    closed_at = now - dt.timedelta(hours=1)
    Consultation.objects.filter(pk=consultation.pk).update(closes_at=closed_at)
    # 14 days after closing, less a minute: nothing
    scan(closed_at + 14 * DAY - MINUTE)
    assert notified("proposal.unanswered") == []
    # At 14 days: the member's civil servant, listing the proposal still waiting
    scan(closed_at + 14 * DAY)
    scan(closed_at + 15 * DAY)
    assert notified("proposal.unanswered") == ["civil.servant@example.org"]
    body = Notification.objects.get(kind="proposal.unanswered").body
    assert f"P-{waiting.pk}" in body
    assert f"P-{answered.pk}" not in body


# --- events ----------------------------------------------------------------------------------


def test_the_proposer_hears_of_the_decision_with_a_link(plan, cso_member, civil_servant):
    now = timezone.now()
    consultation = window(plan, opens_at=now - DAY, closes_at=now + DAY)
    proposal = make_proposal(cso_member, consultation)
    proposal_decide(
        proposal, actor=civil_servant, decision=ProposalStatus.NOT_ACCEPTED, reason="Out of budget."
    )
    note = Notification.objects.get(kind="proposal.decided")
    assert note.recipient == cso_member
    assert note.url == proposal.get_absolute_url()
    assert note.target_id == proposal.pk
    assert "Out of budget." in note.body
    assert not Notification.objects.exclude(recipient=cso_member).exists()


def test_a_reply_is_told_to_the_author_answered_and_not_to_the_replier(
    plan, cso_member, citizen, civil_servant
):
    # Given a proposal with a comment by the CSO member
    now = timezone.now()
    consultation = window(plan, opens_at=now - DAY, closes_at=now + DAY)
    proposal = make_proposal(cso_member, consultation)
    first = comment_post(
        consultation, actor=cso_member, body="Who keeps the registers?", proposal=proposal
    )
    # Replying to one's own comment tells nobody
    comment_post(
        consultation, actor=cso_member, body="Also: since when?", proposal=proposal, parent=first
    )
    assert notified("comment.reply") == []
    # When a citizen replies, anonymously
    reply = comment_post(
        consultation,
        actor=citizen,
        body="The courts do.",
        proposal=proposal,
        parent=first,
        show_name=False,
    )
    # Then the CSO member is told, without the citizen's name; the citizen is not
    assert notified("comment.reply") == ["cso@example.org"]
    note = Notification.objects.get(kind="comment.reply")
    assert "The courts do." in note.body
    assert "A participant replied" in note.body
    assert note.url.endswith(f"#comment-{reply.pk}")
    # And an answer to the citizen's reply reaches the citizen and the thread's author
    comment_post(consultation, actor=civil_servant, body="Yes.", proposal=proposal, parent=reply)
    assert notified("comment.reply") == [
        "citizen@example.org",
        "cso@example.org",
        "cso@example.org",
    ]


# --- following -------------------------------------------------------------------------------


def test_an_open_consultation_can_be_followed_and_unfollowed(client_for, plan, citizen):
    now = timezone.now()
    consultation = window(plan, opens_at=now - DAY, closes_at=now + 10 * DAY)
    client = client_for(citizen)
    url = reverse("consultations:reminder-signup", args=[consultation.pk])
    assert (
        "Follow this consultation" in client.get(consultation.get_absolute_url()).content.decode()
    )
    # Follow (twice: still one)
    client.post(url)
    page = client.post(url, follow=True).content.decode()
    assert ReminderSignup.objects.filter(consultation=consultation, user=citizen).count() == 1
    assert "we will remind you before it closes" in page
    assert "Unfollow" in page
    # Unfollow
    page = client.post(url, {"action": "unfollow"}, follow=True).content.decode()
    assert not ReminderSignup.objects.filter(consultation=consultation, user=citizen).exists()
    assert "Follow this consultation" in page


def test_a_closed_consultation_cannot_be_followed(client_for, plan, citizen):
    now = timezone.now()
    consultation = window(plan, opens_at=now - 10 * DAY, closes_at=now - DAY)
    client = client_for(citizen)
    assert (
        "Follow this consultation"
        not in client.get(consultation.get_absolute_url()).content.decode()
    )
    client.post(reverse("consultations:reminder-signup", args=[consultation.pk]))
    assert not ReminderSignup.objects.exists()


def test_a_reply_names_the_proposal_in_its_subject_cut_to_sixty_characters(
    plan, cso_member, citizen
):
    # Given two proposals, one with a long title, each with a comment by the CSO member
    now = timezone.now()
    consultation = window(plan, opens_at=now - DAY, closes_at=now + DAY)
    short = make_proposal(cso_member, consultation, title="Open the court registers")
    long_title = "Publish every public contract with its amendments and payments " * 2
    long = make_proposal(cso_member, consultation, title=long_title)
    for proposal in (short, long):
        first = comment_post(
            consultation, actor=cso_member, body="Who keeps it?", proposal=proposal
        )
        # When someone replies
        comment_post(
            consultation, actor=citizen, body="The courts.", proposal=proposal, parent=first
        )
    # Then each notification says which proposal, a long title shortened
    subjects = sorted(
        Notification.objects.filter(kind="comment.reply").values_list("subject", flat=True)
    )
    assert subjects[0] == "A reply to your comment on “Open the court registers”"
    assert subjects[1].startswith("A reply to your comment on “Publish every public contract")
    quoted = subjects[1].split("“", 1)[1].rstrip("”")
    assert len(quoted) == 60
    assert quoted.endswith("…")


def test_following_with_closing_emails_off_promises_no_email(client_for, plan, citizen):
    # Given a citizen who turned off e-mails for "closes soon" reminders
    preferences_set(citizen, {"consultation.closing": "off"})
    now = timezone.now()
    consultation = window(plan, opens_at=now - DAY, closes_at=now + 10 * DAY)
    client = client_for(citizen)
    # The follow button does not promise an e-mail
    page = client.get(consultation.get_absolute_url()).content.decode()
    inbox_only = (
        "We will remind you in your notifications before it closes "
        "(e-mails for this are off in your settings)."
    )
    assert inbox_only in page
    assert "We will remind you before it closes." not in page
    assert f'href="{reverse("notifications:preferences")}"' in page
    # When they follow, neither the message nor the page promises one
    url = reverse("consultations:reminder-signup", args=[consultation.pk])
    page = client.post(url, follow=True).content.decode()
    assert "We will e-mail you" not in page
    assert page.count(inbox_only) == 2  # the message and the "you follow" line
    assert "we will remind you before it closes" not in page


@pytest.mark.parametrize("delivery", ["immediate", "digest"])
def test_following_with_closing_emails_on_promises_an_email(client_for, plan, citizen, delivery):
    preferences_set(citizen, {"consultation.closing": delivery})
    now = timezone.now()
    consultation = window(plan, opens_at=now - DAY, closes_at=now + 10 * DAY)
    client = client_for(citizen)
    url = reverse("consultations:reminder-signup", args=[consultation.pk])

    page = client.post(url, follow=True).content.decode()

    assert "We will e-mail you before the consultation closes." in page
    assert "we will remind you before it closes" in page
    assert "in your notifications" not in page


def test_following_a_scheduled_consultation_with_opening_emails_off_promises_no_email(
    client_for, plan, citizen
):
    preferences_set(citizen, {"consultation.opened": "off"})
    now = timezone.now()
    consultation = window(plan, opens_at=now + 20 * DAY, closes_at=now + 40 * DAY)
    client = client_for(citizen)
    url = reverse("consultations:reminder-signup", args=[consultation.pk])

    page = client.post(url, follow=True).content.decode()

    assert "We will tell you in your notifications when the consultation opens." in page
    assert "We will tell you in your notifications when it opens." in page
    assert "We will e-mail you when" not in page
