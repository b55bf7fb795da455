"""A forum write from the request to the service: who is let through, and what a refused
action shows. A refusal re-renders the page it came from with the reason and everything
that was typed; an anonymous person is sent to sign in; a signed-in person without the
right gets 403. Every forum page runs in the member's time zone and leaves it after."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from forums import services
from forums.choices import MeetingStatus
from forums.models import ForumMeeting

from .factories import ForumMeetingFactory, ThreadFactory

pytestmark = pytest.mark.django_db

MINE = "We agreed to open the procurement data.\nThe next review is in March."


@pytest.fixture
def held_meeting(forum):
    return ForumMeetingFactory(forum=forum, status=MeetingStatus.HELD)


def test_minutes_refused_because_published_meanwhile_keep_the_typed_text(
    client_for, civil_servant, secretariat, held_meeting
):
    # Given the civil servant has the meeting page open while a colleague publishes
    client = client_for(civil_servant)
    assert client.get(held_meeting.get_absolute_url()).status_code == 200
    services.meeting_publish_minutes(held_meeting, actor=secretariat, minutes_text="Theirs.")

    # When the civil servant publishes their own minutes
    response = client.post(
        reverse("forums:meeting-minutes", args=[held_meeting.pk]), {"minutes_text": MINE}
    )

    # Then the meeting page comes back with the reason and the typed minutes, nothing lost
    assert response.status_code == 400
    page = response.content.decode()
    assert "The minutes of this meeting are published; it is on record." in page
    assert response.context["minutes_form"]["minutes_text"].value() == MINE
    assert "We agreed to open the procurement data.\nThe next review is in March." in page
    assert 'action="{}"'.format(reverse("forums:meeting-minutes", args=[held_meeting.pk])) in page
    # And the record is the colleague's
    held_meeting.refresh_from_db()
    assert held_meeting.minutes_text == "Theirs."


def test_minutes_refused_before_attendance_keep_the_typed_text(client_for, civil_servant, forum):
    meeting = ForumMeetingFactory(forum=forum)  # scheduled: no attendance yet
    response = client_for(civil_servant).post(
        reverse("forums:meeting-minutes", args=[meeting.pk]), {"minutes_text": MINE}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Record the attendance before publishing the minutes." in page
    assert response.context["minutes_form"]["minutes_text"].value() == MINE
    assert ForumMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_a_refused_decision_keeps_the_typed_text(client_for, civil_servant, forum):
    meeting = ForumMeetingFactory(
        forum=forum,
        status=MeetingStatus.MINUTES_PUBLISHED,
        minutes_text="Minutes.",
        minutes_published_at=timezone.now(),
    )
    response = client_for(civil_servant).post(
        reverse("forums:meeting-decision-add", args=[meeting.pk]), {"text": "A late decision"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The minutes of this meeting are published; it is on record." in page
    assert "A late decision" in page
    assert not meeting.decisions.exists()


def forum_writes(forum, meeting, thread):
    slug = forum.member.slug
    return [
        (reverse("forums:forum-update", args=[slug]), {"name": "Taken over"}),
        (reverse("forums:seat-create", args=[slug]), {"name": "Someone"}),
        (reverse("forums:meeting-minutes", args=[meeting.pk]), {"minutes_text": "Hacked"}),
        (reverse("forums:meeting-decision-add", args=[meeting.pk]), {"text": "Hacked"}),
        (reverse("forums:thread-reply", args=[thread.pk]), {"body": "Hacked"}),
        (reverse("forums:thread-visibility", args=[thread.pk]), {"is_public": "false"}),
    ]


def test_anonymous_forum_writes_are_sent_to_sign_in_and_back(client, forum, held_meeting):
    thread = ThreadFactory(forum=forum, is_public=True)
    for url, data in forum_writes(forum, held_meeting, thread):
        response = client.post(url, data)
        assert response.status_code == 302, url
        assert response["Location"] == f"{reverse('account_login')}?next={url}", url
    held_meeting.refresh_from_db()
    assert held_meeting.status == MeetingStatus.HELD
    assert not held_meeting.decisions.exists()
    assert thread.posts.count() == 0


def test_signed_in_without_the_right_gets_403_on_forum_writes(
    client_for, citizen, forum, held_meeting
):
    thread = ThreadFactory(forum=forum, is_public=True)
    client = client_for(citizen)
    for url, data in forum_writes(forum, held_meeting, thread):
        assert client.post(url, data).status_code == 403, url
    held_meeting.refresh_from_db()
    assert held_meeting.status == MeetingStatus.HELD
    assert not held_meeting.decisions.exists()
    thread.refresh_from_db()
    assert thread.is_public


def test_the_member_time_zone_is_left_after_each_forum_page(client_for, citizen, forum):
    private = ThreadFactory(forum=forum, is_public=False)
    client = client_for(citizen)
    assert client.get(forum.get_absolute_url()).status_code == 200
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
    # Also when the view fails after the lookup activated it (a private thread: 404).
    assert client.get(private.get_absolute_url()).status_code == 404
    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
