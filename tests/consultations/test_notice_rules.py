"""The OGP timing rules exactly as written (issue #17): notice periods count calendar days in
the member's time zone to the minute, across clock changes; a material change to an announced
window restarts the clock and stays on the public record; a self-assessment is open for
comment at least the rule set's number of days."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from consultations.models import Consultation
from consultations.services.windows import (
    NoticeRuleError,
    consultation_publish_notice,
    consultation_save,
)
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def local(y, m, d, hour=0, minute=0):
    return dt.datetime(y, m, d, hour, minute, tzinfo=PARIS)


@pytest.fixture
def plan(member):
    return PlanFactory(member=member, status="notice")  # member A lives in Europe/Paris


def window(plan, opens_at, **fields):
    return Consultation.objects.create(
        plan=plan, title="Ideas", kind="idea_collection", description="x", channels=["online"],
        opens_at=opens_at, closes_at=opens_at + dt.timedelta(days=30), **fields,
    )  # fmt: skip


# The spring clock change in Paris is on 29 March 2026: a notice on 20 March crosses it.
@pytest.mark.parametrize(
    ("notice_day", "label"), [(dt.date(2026, 2, 2), "winter"), (dt.date(2026, 3, 20), "DST")]
)
def test_notice_allows_day_14_at_midnight_and_refuses_day_13_at_23_59(
    plan, civil_servant, notice_day, label
):
    notice_at = local(notice_day.year, notice_day.month, notice_day.day, 14, 37)
    day_14 = notice_day + dt.timedelta(days=14)
    midnight = local(day_14.year, day_14.month, day_14.day)
    too_early = window(plan, midnight - dt.timedelta(minutes=1))
    just_in_time = window(plan, midnight)

    with time_machine.travel(notice_at, tick=False):
        # D+13 at 23:59 is refused, and the message names D+14 at 00:00 local time ...
        with pytest.raises(NoticeRuleError) as refused:
            consultation_publish_notice(too_early, actor=civil_servant)
        named = refused.value.errors["opens_at"]
        assert f"{day_14.isoformat()} 00:00" in named
        # ... which is accepted: no hidden seconds
        consultation_publish_notice(just_in_time, actor=civil_servant)
    just_in_time.refresh_from_db()
    assert just_in_time.notice_published_at == notice_at


def test_the_notice_rule_also_holds_when_the_dates_are_typed_after_the_notice(plan, civil_servant):
    notice_at = local(2026, 3, 20, 14, 37)
    consultation = window(plan, local(2026, 5, 1), notice_published_at=notice_at)
    with time_machine.travel(notice_at, tick=False):
        # The same day: no change restarts anything yet, so only the rule is at stake
        with pytest.raises(NoticeRuleError):
            consultation_save(
                plan, actor=civil_servant, consultation=consultation,
                opens_at=local(2026, 4, 2, 23, 59), closes_at=local(2026, 5, 1),
            )  # fmt: skip
        consultation = Consultation.objects.get(pk=consultation.pk)
        consultation_save(
            plan, actor=civil_servant, consultation=consultation,
            opens_at=local(2026, 4, 3), closes_at=local(2026, 5, 1),
        )  # fmt: skip


def test_moving_an_announced_window_restarts_the_clock_and_is_logged(client, plan, civil_servant):
    consultation = window(plan, local(2026, 6, 1, 9), notice_published_at=local(2026, 5, 1, 9))
    # When the opening is postponed on 10 May, with 14 days to spare from that day
    with time_machine.travel(local(2026, 5, 10, 16, 5), tick=False):
        consultation_save(
            plan, actor=civil_servant, consultation=consultation,
            opens_at=local(2026, 6, 8, 9), closes_at=local(2026, 7, 8, 9),
        )  # fmt: skip
    consultation.refresh_from_db()
    # Then the notice counts from the change, and the change is on the public page
    assert consultation.notice_published_at == local(2026, 5, 10, 16, 5)
    change = consultation.notice_changes.get()
    assert change.restarted_notice
    assert change.previous_notice_at == local(2026, 5, 1, 9)
    page = client.get(reverse("consultations:consultation-detail", args=[consultation.pk]))
    html = page.content.decode()
    assert "Changes since the notice" in html
    assert "2026-06-01 09:00 CEST → 2026-06-08 09:00 CEST" in html


def test_a_change_too_close_to_the_new_opening_is_refused(plan, civil_servant):
    consultation = window(plan, local(2026, 6, 1, 9), notice_published_at=local(2026, 5, 1, 9))
    # Adding a channel a week before it opens would give people less than 14 days
    with (
        time_machine.travel(local(2026, 5, 25, 10), tick=False),
        pytest.raises(NoticeRuleError, match="starts the notice period again"),
    ):
        consultation_save(
            plan, actor=civil_servant, consultation=consultation, channels=["online", "workshop"]
        )
    consultation.refresh_from_db()
    assert consultation.channels == ["online"]
    assert not consultation.notice_changes.exists()


def test_extending_an_open_window_is_logged_without_restarting(plan, civil_servant):
    consultation = window(plan, local(2026, 6, 1, 9), notice_published_at=local(2026, 5, 1, 9))
    with time_machine.travel(local(2026, 6, 5, 10), tick=False):
        consultation_save(
            plan, actor=civil_servant, consultation=consultation, closes_at=local(2026, 7, 20),
        )  # fmt: skip
    consultation.refresh_from_db()
    assert consultation.notice_published_at == local(2026, 5, 1, 9)
    change = consultation.notice_changes.get()
    assert not change.restarted_notice
    assert list(change.changes) == ["closes_at"]


def test_a_self_assessment_is_open_for_comment_at_least_two_weeks(plan, civil_servant):
    opens = local(2026, 3, 20, 9)  # the clock changes on 29 March
    with pytest.raises(NoticeRuleError) as refused:
        consultation_save(
            plan, actor=civil_servant, title="Self-assessment", kind="self_assessment_comment",
            description="x", channels=["online"], opens_at=opens,
            closes_at=local(2026, 3, 23, 9),
        )  # fmt: skip
    assert "at least 14 days" in refused.value.errors["closes_at"]
    assert "2026-04-03 09:00 CEST" in refused.value.errors["closes_at"]
    with pytest.raises(NoticeRuleError):
        consultation_save(
            plan, actor=civil_servant, title="Self-assessment", kind="self_assessment_comment",
            description="x", channels=["online"], opens_at=opens,
            closes_at=local(2026, 4, 3, 8, 59),
        )  # fmt: skip
    saved = consultation_save(
        plan, actor=civil_servant, title="Self-assessment", kind="self_assessment_comment",
        description="x", channels=["online"], opens_at=opens, closes_at=local(2026, 4, 3, 9),
    )  # fmt: skip
    assert saved.pk


def test_a_short_self_assessment_window_is_a_form_error(client_for, civil_servant, plan):
    response = client_for(civil_servant).post(
        reverse("consultations:consultation-create", args=[plan.pk]),
        {
            "title": "End-of-term self-assessment",
            "kind": "self_assessment_comment",
            "audience": "verified_users",
            "description": "Comment on our self-assessment.",
            "channels": ["online"],
            "opens_at": "2030-03-01T09:00",
            "closes_at": "2030-03-04T09:00",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "A self-assessment is open for comment for at least 14 days" in page
    assert 'value="2030-03-04T09:00"' in page
    assert not Consultation.objects.filter(plan=plan).exists()
