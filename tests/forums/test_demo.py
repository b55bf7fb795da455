"""The demo forum: complete, public, and loadable twice without duplicates."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from forums.choices import MeetingStatus, RoundStatus
from forums.models import Forum
from ogp_portal.core.models import AuditEvent
from records.choices import DocumentType
from records.models import RepositoryDocument

pytestmark = pytest.mark.django_db


def _counts():
    counts = {
        m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label == "forums"
    }
    # The forum's audit trail is not written twice either.
    counts["forums audit events"] = AuditEvent.objects.filter(action__startswith="forums.").count()
    return counts


def test_loading_twice_does_not_duplicate_forum_records():
    call_command("load_demo", quiet_logins=True)
    first = _counts()
    call_command("load_demo", quiet_logins=True)
    assert _counts() == first
    assert first["forums.Forum"] == 2  # Valdoria's, and Port Lumen's (seats only)
    assert first["forums.ForumMeeting"] == 4
    assert first["forums.SelectionRound"] == 1


def test_demo_forum_is_complete():
    call_command("load_demo", quiet_logins=True)
    forum = Forum.objects.get(member__slug="valdoria")
    assert forum.seats.current().count() >= 8
    selection_round = forum.selection_rounds.get()
    assert selection_round.status == RoundStatus.RESULTS_PUBLISHED
    assert selection_round.ballots.count() == 3
    assert selection_round.elected_seats.count() == 2
    assert forum.meetings.filter(status=MeetingStatus.MINUTES_PUBLISHED).count() == 4
    types = set(
        RepositoryDocument.objects.filter(member=forum.member).values_list("doc_type", flat=True)
    )
    assert {
        DocumentType.MEETING_MINUTES,
        DocumentType.ACTION_PLAN,
        DocumentType.FORUM_RULES,
    } <= types
    assert len(types) >= 6


def test_demo_pages_answer(client):
    call_command("load_demo", quiet_logins=True)
    forum = Forum.objects.get(member__slug="valdoria")
    for name in (
        "forums:forum-detail",
        "records:repository",
        "records:compliance",
        "forums:meeting-list",
        "forums:thread-list",
    ):
        assert client.get(reverse(name, args=["valdoria"])).status_code == 200
    round_results = reverse("forums:round-results", args=[forum.selection_rounds.get().pk])
    page = client.get(round_results).content.decode()
    assert "Farid Forum" in page
    assert "Elected" in page


def test_demo_forum_shows_shared_stewardship_and_decisions(client):
    from forums.choices import DecisionOutcome
    from forums.models import Decision

    call_command("load_demo", quiet_logins=True)
    forum = Forum.objects.get(member__slug="valdoria")
    assert forum.has_co_chairs
    assert forum.minutes_require_cosign
    assert forum.adoption_requires_decision
    assert forum.timeline_requires_decision
    assert {m.sector for m in forum.secretariat_members.all()} == {"government", "civil_society"}
    meeting = forum.meetings.get(title__contains="working method")
    assert meeting.scheduled_by.email == "cso@demo.example.org"
    assert meeting.status == MeetingStatus.MINUTES_PUBLISHED
    assert meeting.signatures.count() == 2
    passed, failed = Decision.objects.filter(meeting=meeting).order_by("position")
    assert passed.outcome == DecisionOutcome.PASSED
    assert "majority in each sector" in passed.result().reason
    assert passed.plan is not None
    assert passed.purpose == "publish_timeline"
    assert failed.outcome == DecisionOutcome.FAILED
    assert failed.result().reason.startswith("No quorum")
    page = client.get(reverse("forums:decision-list", args=["valdoria"])).content.decode()
    assert "endorses the sixth plan" in page
    assert "No quorum" in page
