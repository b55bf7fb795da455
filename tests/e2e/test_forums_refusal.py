"""A refused forum action in a real browser: the civil servant types the minutes of a held
meeting while a colleague publishes theirs; the portal refuses the second publication and
shows the meeting page again with the reason and the typed minutes still in the textarea."""

import pytest

from forums import services
from forums.choices import MeetingStatus
from forums.models import ForumMeeting
from tests.forums.factories import ForumFactory, ForumMeetingFactory

from .conftest import assert_no_serious_axe_violations, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TYPED = "We agreed to open the procurement data.\nThe next review is in March."


def test_refused_minutes_keep_the_typed_text(page, live_server, member, civil_servant, secretariat):
    # Given a held meeting whose page the civil servant has open, minutes typed
    forum = ForumFactory(member=member, name="Open Government Forum of A")
    meeting = ForumMeetingFactory(forum=forum, title="Spring review", status=MeetingStatus.HELD)
    sign_in(page, live_server, civil_servant)
    page.goto(meeting.get_absolute_url())
    minutes = page.locator("textarea[name=minutes_text]")
    minutes.fill(TYPED)

    # When a colleague publishes the minutes meanwhile, and the civil servant then publishes
    services.meeting_publish_minutes(meeting, actor=secretariat, minutes_text="Theirs.")
    page.get_by_role("button", name="Publish the minutes").click()
    page.wait_for_load_state()

    # Then the meeting page says why, and what was typed is still there to copy or keep
    alert = page.locator(".form-errors")
    assert "The minutes of this meeting are published; it is on record." in alert.inner_text()
    assert page.locator("textarea[name=minutes_text]").input_value() == TYPED
    assert "Theirs." in page.locator("main").inner_text()
    assert ForumMeeting.objects.get(pk=meeting.pk).minutes_text == "Theirs."
    assert_no_serious_axe_violations(page)
