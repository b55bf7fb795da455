"""The compliance panel's checks at their edges, in the member's time zone."""

import datetime as dt
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from forums.choices import MeetingKind, MeetingStatus
from forums.dates import add_months
from plans.models import ActionPlan
from records import compliance
from records.models import RepositoryDocument
from tests.forums.factories import ForumMeetingFactory, published_meeting

from .factories import RepositoryDocumentFactory

pytestmark = pytest.mark.django_db


def local_noon(member, day):
    return dt.datetime.combine(day, dt.time(12), tzinfo=zoneinfo.ZoneInfo(member.time_zone))


def today_of(member):
    return timezone.localtime(timezone=zoneinfo.ZoneInfo(member.time_zone)).date()


def result(member, code, today=None):
    _version, results = compliance.run_checks(member, today=today)
    return next(r for r in results if r.code == code)


def test_minutes_exactly_six_months_ago_count(forum, member):
    today = today_of(member)
    meeting = published_meeting(forum, local_noon(member, add_months(today, -6)))
    check = result(member, "MR 1.1")
    assert check.met
    assert check.evidence_url == meeting.get_absolute_url()


def test_minutes_six_months_and_a_day_ago_do_not(forum, member):
    today = today_of(member)
    published_meeting(forum, local_noon(member, add_months(today, -6) - dt.timedelta(days=1)))
    assert not result(member, "MR 1.1").met


def test_a_meeting_without_published_minutes_is_no_evidence(forum, member):
    ForumMeetingFactory(forum=forum, status=MeetingStatus.HELD, starts_at=timezone.now())
    check = result(member, "MR 1.1")
    assert not check.met
    assert check.detail == "No meeting with published minutes yet."


def test_the_2017_rules_ask_for_a_meeting_every_three_months(forum, member):
    ActionPlan.objects.create(
        member=member,
        sequence_no=1,
        title="Plan",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2021, 12, 31),
        standards_version="2017",
    )
    today = today_of(member)
    published_meeting(forum, local_noon(member, add_months(today, -4)))
    version, results = compliance.run_checks(member)
    assert version == "2017"
    assert not results[0].met
    assert "3 months" in results[0].title


def test_without_a_plan_the_2021_rules_apply(member):
    assert compliance.standards_version_for(member) == "2021"


def test_two_implementation_meetings_this_year_are_enough(forum, member):
    today = dt.date(2026, 6, 15)
    jan_first = local_noon(member, dt.date(2026, 1, 1)).replace(hour=0)  # local midnight
    published_meeting(forum, jan_first, kind=MeetingKind.IMPLEMENTATION_REVIEW)
    published_meeting(
        forum, local_noon(member, dt.date(2026, 3, 1)), MeetingKind.IMPLEMENTATION_REVIEW
    )
    check = result(member, "MR 5.1", today=today)
    assert check.met
    assert "2 meetings" in check.detail


def test_one_implementation_meeting_is_not(forum, member):
    today = dt.date(2026, 6, 15)
    published_meeting(
        forum, local_noon(member, dt.date(2026, 3, 1)), MeetingKind.IMPLEMENTATION_REVIEW
    )
    # Last year's (one minute before local midnight), a regular meeting and one without
    # minutes do not count.
    last_year = local_noon(member, dt.date(2025, 12, 31)).replace(hour=23, minute=59)
    published_meeting(forum, last_year, kind=MeetingKind.IMPLEMENTATION_REVIEW)
    published_meeting(forum, local_noon(member, dt.date(2026, 4, 1)), kind=MeetingKind.REGULAR)
    ForumMeetingFactory(
        forum=forum,
        kind=MeetingKind.IMPLEMENTATION_REVIEW,
        starts_at=local_noon(member, dt.date(2026, 5, 1)),
    )
    check = result(member, "MR 5.1", today=today)
    assert not check.met
    assert "1 meeting " in check.detail


def set_last_update(member, when):
    document = RepositoryDocumentFactory(member=member)
    RepositoryDocument.objects.filter(pk=document.pk).update(published_at=when, updated_at=when)


def test_repository_updated_exactly_six_months_ago_counts(member):
    set_last_update(member, local_noon(member, add_months(today_of(member), -6)))
    assert result(member, "MR 2.2").met


def test_repository_six_months_and_a_day_ago_does_not(member):
    day = add_months(today_of(member), -6) - dt.timedelta(days=1)
    set_last_update(member, local_noon(member, day))
    check = result(member, "MR 2.2")
    assert not check.met
    assert day.isoformat() in check.detail


def test_an_empty_repository_is_not_met(member):
    assert not result(member, "MR 2.2").met


def test_panel_shows_each_check_with_its_evidence(client, forum, member):
    meeting = published_meeting(forum, timezone.now() - dt.timedelta(days=10))
    page = client.get(reverse("records:compliance", args=[member.slug])).content.decode()
    assert page.count("<tr>") == 1 + len(compliance.CHECKS)
    assert "Met" in page
    assert "Not met" in page
    assert meeting.get_absolute_url() in page
    # No consultation yet: the notice check says so instead of guessing
    assert "No consultation has been announced yet." in page


def _consultation(member, notice_days, closes_in_days=10):
    from consultations.models import Consultation
    from tests.factories import PlanFactory

    now = timezone.now()
    opens = now - dt.timedelta(days=1)
    return Consultation.objects.create(
        plan=PlanFactory(member=member, status="co_creation"), title="Ideas",
        kind="idea_collection", description="x",
        notice_published_at=opens - dt.timedelta(days=notice_days), opens_at=opens,
        closes_at=now + dt.timedelta(days=closes_in_days),
    )  # fmt: skip


@pytest.mark.parametrize(("days", "met"), [(14, True), (13, False)])
def test_notice_check_at_its_edge(member, days, met):
    _consultation(member, days)
    assert result(member, "MR 3.1").met is met


def test_every_input_answered_check_counts_the_whole_ledger(member, civil_servant):
    from consultations.models import InputEntry
    from consultations.services.responses import response_draft, response_publish

    consultation = _consultation(member, 20, closes_in_days=-0.5)
    plan = consultation.plan
    for kind in ("proposal", "answer", "offline"):
        InputEntry.objects.create(plan=plan, consultation=consultation, kind=kind, title=kind)
    check = result(member, "MR 4.1")
    assert not check.met
    assert "0 of 3 inputs" in check.detail
    assert check.evidence_url == f"/plans/{plan.pk}/inputs/"
    entries = list(InputEntry.objects.filter(plan=plan))
    draft = response_draft(
        plan, actor=civil_servant, entries=entries, decision="not_accepted", reason="Next plan"
    )
    assert not result(member, "MR 4.1").met  # a draft does not count
    response_publish(draft, actor=civil_servant)
    assert result(member, "MR 4.1").met


def test_a_member_without_a_forum_gets_no_link_to_a_meeting_list_that_does_not_exist(
    client, member
):
    # Given a member that has no forum (a local government, say)
    check = result(member, "MR 5.1")

    # Then the implementation-meetings line points nowhere, rather than at a 404
    assert not check.met
    assert check.evidence_url == ""
    response = client.get(reverse("records:compliance", args=[member.slug]))
    assert response.status_code == 200
    assert "/meetings/?kind=" not in response.content.decode()
