"""A plan's self-assessment (/plans/<id>/self-assessment/), read from outside: every minimum
requirement of the plan's own rule set, met or not over the plan's period, each line linking
to the records it was computed from, and every one of those links open to an anonymous
visitor."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from consultations.models import Consultation, Proposal, ReasonedResponse
from forums.choices import MeetingKind
from plans.models import ActionPlan
from records import services
from records.selectors.self_assessment import Status, plan_self_assessment
from tests.factories import PlanFactory
from tests.forums.factories import ForumMeetingFactory, published_meeting

from .factories import RepositoryDocumentFactory

pytestmark = pytest.mark.django_db
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
# In January, after the plan's last year: last year's lines must still be there.
TODAY = dt.datetime(2026, 1, 10, 9, tzinfo=PARIS)


def at(y, m, d, hour=10, minute=0):
    return dt.datetime(y, m, d, hour, minute, tzinfo=PARIS)


@pytest.fixture
def plan(member, forum, civil_servant, citizen):
    """A 2021-rules plan (2024–2025) with a record: timeline notice, one consultation with an
    answered proposal, forum meetings every four months, implementation meetings (two in
    2024, one in 2025), an outreach activity and repository updates."""
    member.website_url = "https://ogp.member-a.example.org/"
    member.save()
    plan = PlanFactory(
        member=member, title="Second plan", period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2025, 12, 31), status="implementation", standards_version="2021",
        co_creation_timeline="Ideas in September, draft in November.",
        notice_published_at=at(2023, 8, 20),
    )  # fmt: skip
    consultation = Consultation.objects.create(
        plan=plan, title="Ideas for the plan", kind="idea_collection", description="x",
        channels=["online", "in_person"], notice_published_at=at(2023, 8, 20),
        opens_at=at(2023, 9, 4, 0), closes_at=at(2023, 10, 4),
    )  # fmt: skip
    response = ReasonedResponse.objects.create(
        consultation=consultation, decision="accepted", reason="Taken up as C1.",
        published_at=at(2023, 10, 20),
    )  # fmt: skip
    Proposal.objects.create(
        consultation=consultation, author=citizen, submitter_type="citizen", title="Open data",
        status="accepted", response=response, submitted_at=at(2023, 9, 10),
    )  # fmt: skip
    day = dt.date(2023, 9, 1)
    while day <= dt.date(2025, 12, 31):
        published_meeting(forum, at(day.year, day.month, 15))
        day = dt.date(day.year + (day.month + 4 > 12), (day.month + 4 - 1) % 12 + 1, 1)
    for when in (at(2024, 3, 1), at(2024, 10, 1), at(2025, 5, 1)):
        published_meeting(forum, when, kind=MeetingKind.IMPLEMENTATION_REVIEW, plan=plan)
    # A held meeting without minutes is no evidence.
    ForumMeetingFactory(
        forum=forum, kind=MeetingKind.IMPLEMENTATION_REVIEW, starts_at=at(2025, 9, 1),
        status="held",
    )  # fmt: skip
    services.outreach_record(
        plan, actor=civil_servant, title="Town-hall roadshow", place="Northtown library",
        held_on=dt.date(2023, 9, 10), audience="120 residents", materials="Leaflets",
    )  # fmt: skip
    for when in (at(2024, 2, 1), at(2024, 9, 1), at(2025, 3, 1)):
        RepositoryDocumentFactory(member=member, published_at=when)
    return plan


def line(assessment, code, title_part=""):
    return next(x for x in assessment.lines if x.code == code and title_part in x.title)


def test_each_requirement_is_judged_over_the_plan_period(plan):
    with time_machine.travel(TODAY, tick=False):
        assessment = plan_self_assessment(plan)
    assert assessment.standards_version == "2021"
    assert [x.code for x in assessment.lines] == [
        "MR 1.1", "MR 1.1", "MR 2.1", "MR 2.2", "MR 3.1", "MR 3.2", "MR 3.3", "MR 4.1", "MR 5.1",
    ]  # fmt: skip
    assert line(assessment, "MR 1.1", "every").status == Status.MET
    assert line(assessment, "MR 1.1", "rules").status == Status.MET
    assert line(assessment, "MR 2.1").status == Status.MET
    assert line(assessment, "MR 3.1").status == Status.MET
    assert line(assessment, "MR 3.2").status == Status.MET
    assert line(assessment, "MR 3.3").counts == {"online": 1, "in_person": 1}
    assert line(assessment, "MR 4.1").counts == {"proposals": 1, "answered": 1, "missing": 0}
    # Twice a year: 2025 had one repository update and one implementation meeting only.
    repository = line(assessment, "MR 2.2")
    assert [(y.year, y.count, y.status) for y in repository.years] == [
        (2023, 0, Status.NOT_MET), (2024, 2, Status.MET), (2025, 1, Status.NOT_MET),
    ]  # fmt: skip
    assert repository.status == Status.NOT_MET


def test_last_years_implementation_meetings_stay_visible_in_january(plan):
    with time_machine.travel(TODAY, tick=False):
        meetings = line(plan_self_assessment(plan), "MR 5.1")
    # Per calendar year; the meeting held without minutes does not count.
    assert [(y.year, y.count, y.status) for y in meetings.years] == [
        (2024, 2, Status.MET), (2025, 1, Status.NOT_MET),
    ]  # fmt: skip
    assert meetings.status == Status.NOT_MET


def test_a_2017_plan_is_judged_under_the_2017_thresholds(plan, forum):
    # Forum meetings every four months meet the 2021 rule (6 months), not the 2017 one (3).
    ActionPlan.objects.filter(pk=plan.pk).update(standards_version="2017")
    plan.refresh_from_db()
    with time_machine.travel(TODAY, tick=False):
        assessment = plan_self_assessment(plan)
    assert assessment.standards_version == "2017"
    forum_line = line(assessment, "MR 1.1", "every")
    assert "every 3 months" in forum_line.title
    assert forum_line.status == Status.NOT_MET
    assert "No meeting from" in forum_line.detail


def test_a_line_without_records_says_so_and_links_where_they_would_be(client, member):
    plan = PlanFactory(member=member, status="co_creation", notice_published_at=at(2025, 11, 1))
    with time_machine.travel(TODAY, tick=False):
        outreach = line(plan_self_assessment(plan), "MR 3.2")
        page = client.get(reverse("plan_records:self-assessment", args=[plan.pk]))
    assert outreach.status == Status.NOT_MET
    assert not outreach.has_records
    assert outreach.links[0].url == reverse("plan_records:outreach-list", args=[plan.pk])
    assert "No records yet. They would be here:" in page.content.decode()


def test_every_link_of_the_page_opens_for_an_anonymous_visitor(client, plan):
    # Given the self-assessment of a plan with a full record, read in January
    with time_machine.travel(TODAY, tick=False):
        page = client.get(reverse("plan_records:self-assessment", args=[plan.pk]))
        assert page.status_code == 200
        html = page.content.decode()
        main = html[html.index("<main") :]
        links = set(re.findall(r'href="([^"]+)"', main))
        # Then every line has links, and each of them opens for someone not signed in
        assessment = plan_self_assessment(plan)
        for requirement in assessment.lines:
            assert requirement.links, requirement.code
            for link in requirement.links:
                assert link.url.replace("&", "&amp;") in links
        internal = sorted(u.replace("&amp;", "&") for u in links if u.startswith("/"))
        assert len(internal) > 15
        for url in internal:
            response = client.get(url.split("#")[0])
            assert response.status_code == 200, url


def test_the_page_is_404_for_a_plan_in_planning_to_outsiders(client, member):
    plan = PlanFactory(member=member, status="planning")
    response = client.get(reverse("plan_records:self-assessment", args=[plan.pk]))
    assert response.status_code == 404


def test_the_compliance_panel_links_to_each_plans_self_assessment(client, plan, member):
    older = PlanFactory(
        member=member, period_start=dt.date(2022, 1, 1), period_end=dt.date(2023, 12, 31),
        status="ended", standards_version="2017",
    )  # fmt: skip
    page = client.get(reverse("records:compliance", args=[member.slug])).content.decode()
    for each in (plan, older):
        assert reverse("plan_records:self-assessment", args=[each.pk]) in page


def test_the_page_runs_a_bounded_number_of_queries(client, plan, forum, member,
                                                   django_assert_max_num_queries):  # fmt: skip
    # Four years of monthly meetings and a hundred repository documents cost no more.
    for month in range(1, 13):
        for year in (2024, 2025):
            published_meeting(forum, at(year, month, 20), kind=MeetingKind.IMPLEMENTATION_REVIEW)
    for i in range(100):
        RepositoryDocumentFactory(member=member, published_at=at(2024, 1, 1) + dt.timedelta(days=i))
    with time_machine.travel(TODAY, tick=False), django_assert_max_num_queries(20):
        response = client.get(reverse("plan_records:self-assessment", args=[plan.pk]))
    assert response.status_code == 200


def test_the_plan_page_links_to_its_record_pages_and_each_opens_anonymously(client, plan):
    """A reader of the plan finds its ledger, the influence page, the self-assessment, the
    outreach log and the IRM package from the plan page itself, without typing a URL."""
    html = client.get(plan.get_absolute_url()).content.decode()
    for url in (
        reverse("ledger:input-list", args=[plan.pk]),
        reverse("influence:plan-influence", args=[plan.pk]),
        reverse("plan_records:self-assessment", args=[plan.pk]),
        reverse("plan_records:outreach-list", args=[plan.pk]),
        reverse("plan_records:irm-package", args=[plan.pk]),
    ):
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200, url
