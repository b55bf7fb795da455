"""Open data grows (issue #17): inputs with their responses, meetings with attendance by
sector, forum decisions and outreach, from the outside: public records only (a draft
response, a hidden input, a meeting without published minutes and a draft plan's outreach
never reach a file), streamed, with a number of queries that does not grow with the rows."""

import csv
import datetime as dt
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.choices import InputChannel, InputKind, ResponseDecision
from consultations.models import InputEntry, ReasonedResponse
from forums.choices import Sector
from forums.models import Decision, MeetingAttendance
from records.models import OutreachActivity
from tests.factories import CommitmentFactory, PlanFactory
from tests.forums.factories import ForumFactory, ForumMeetingFactory, published_meeting

pytestmark = pytest.mark.django_db

SECRET = "SECRET-DRAFT"


def _rows(client, dataset: str, fmt: str = "csv", **params) -> list[dict]:
    url = reverse("opendata:dataset-export", kwargs={"dataset": dataset, "fmt": fmt})
    response = client.get(url, params)
    assert response.status_code == 200
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    if fmt == "json":
        return json.loads(text)
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


@pytest.fixture
def record(member):
    plan = PlanFactory(member=member, status="implementation", title="Public Plan")
    draft_plan = PlanFactory(member=member, status="planning", title=SECRET)
    commitment = CommitmentFactory(plan=plan)
    published = ReasonedResponse.objects.create(
        plan=plan,
        decision=ResponseDecision.ACCEPTED,
        reason="Taken up.",
        published_at=timezone.now(),
    )
    published.commitments.add(commitment)
    draft = ReasonedResponse.objects.create(
        plan=plan, decision=ResponseDecision.NOT_TAKEN_UP, reason=SECRET
    )
    for title, response, public, on_plan in (
        ("Answered", published, True, plan),
        ("Awaiting", draft, True, plan),
        (SECRET, None, False, plan),
        (SECRET, None, True, draft_plan),
    ):
        InputEntry.objects.create(
            plan=on_plan,
            kind=InputKind.OFFLINE,
            channel=InputChannel.PAPER,
            title=title,
            contact="private@example.org",
            response=response,
            is_public=public,
        )
    forum = ForumFactory(member=member)
    meeting = published_meeting(forum, timezone.now() - dt.timedelta(days=10), plan=plan)
    MeetingAttendance.objects.create(meeting=meeting, sector=Sector.GOVERNMENT, count=4)
    MeetingAttendance.objects.create(meeting=meeting, sector=Sector.CIVIL_SOCIETY, count=5)
    Decision.objects.create(meeting=meeting, text="Adopt the monitoring calendar", position=1)
    unpublished = ForumMeetingFactory(forum=forum, title=SECRET)
    Decision.objects.create(meeting=unpublished, text=SECRET, position=1)
    for on_plan, title in ((plan, "Radio show"), (draft_plan, SECRET)):
        OutreachActivity.objects.create(
            plan=on_plan,
            title=title,
            place="Capital",
            held_on=dt.date(2026, 3, 1),
            audience="Listeners",
            evidence_url="https://example.org/show",
        )
    return {"plan": plan, "commitment": commitment, "meeting": meeting}


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_inputs_file_holds_public_inputs_and_only_published_responses(client, record, fmt):
    rows = _rows(client, "inputs", fmt)
    by_title = {row["title"]: row for row in rows}
    assert set(by_title) == {"Answered", "Awaiting"}
    assert by_title["Answered"]["decision"] == "accepted"
    assert by_title["Answered"]["commitment_ogp_ids"] == record["commitment"].ogp_id
    assert by_title["Awaiting"]["decision"] == ""
    assert by_title["Awaiting"]["reason"] == ""
    assert "private@example.org" not in json.dumps(rows)


def test_meetings_file_holds_attendance_by_sector(client, record):
    rows = _rows(client, "meetings")
    assert [int(row["meeting_id"]) for row in rows] == [record["meeting"].pk]
    row = rows[0]
    assert row["attendance_government"] == "4"
    assert row["attendance_civil_society"] == "5"
    assert row["attendance_academia"] == "0"
    assert row["attendance_total"] == "9"


def test_forum_decisions_file_holds_decisions_of_published_minutes_only(client, record):
    rows = _rows(client, "forum-decisions", "json")
    assert [row["text"] for row in rows] == ["Adopt the monitoring calendar"]
    assert rows[0]["meeting_id"] == record["meeting"].pk


def test_outreach_file_holds_outreach_of_published_plans(client, record):
    rows = _rows(client, "outreach")
    assert [row["title"] for row in rows] == ["Radio show"]
    assert rows[0]["plan_id"] == str(record["plan"].pk)


@pytest.mark.parametrize("dataset", ["inputs", "meetings", "forum-decisions", "outreach"])
def test_no_draft_reaches_the_new_files_even_for_insiders(client, record, civil_servant, dataset):
    client.force_login(civil_servant)
    for fmt in ("csv", "json"):
        assert SECRET not in json.dumps(_rows(client, dataset, fmt))


def test_the_page_lists_the_new_files(client, record):
    page = client.get(reverse("opendata:index")).content.decode()
    for dataset in ("inputs", "meetings", "forum-decisions", "outreach"):
        assert reverse("opendata:dataset-export", args=[dataset, "csv"]) in page


def test_plan_filter_applies_to_the_new_files(client, record, member):
    other = PlanFactory(member=member, status="implementation")
    assert _rows(client, "inputs", plan=other.pk) == []
    assert len(_rows(client, "inputs", plan=record["plan"].pk)) == 2
    assert _rows(client, "outreach", plan=other.pk) == []


@pytest.mark.parametrize("dataset", ["inputs", "meetings", "forum-decisions", "outreach"])
def test_queries_do_not_grow_with_rows(client, record, dataset, django_assert_max_num_queries):
    url = reverse("opendata:dataset-export", kwargs={"dataset": dataset, "fmt": "csv"})
    with django_assert_max_num_queries(12) as small:
        b"".join(client.get(url).streaming_content)
    plan = record["plan"]
    forum = record["meeting"].forum
    for i in range(30):
        entry_response = ReasonedResponse.objects.create(
            plan=plan, decision="accepted", reason=f"R{i}", published_at=timezone.now()
        )
        entry_response.commitments.add(record["commitment"])
        InputEntry.objects.create(
            plan=plan, kind="offline", channel="paper", title=f"I{i}", response=entry_response
        )
        meeting = published_meeting(forum, timezone.now() - dt.timedelta(days=20 + i))
        MeetingAttendance.objects.create(meeting=meeting, sector=Sector.ACADEMIA, count=i + 1)
        Decision.objects.create(meeting=meeting, text=f"D{i}", position=1)
        OutreachActivity.objects.create(
            plan=plan,
            title=f"O{i}",
            place="Town",
            held_on=dt.date(2026, 3, 2),
            audience="All",
            evidence_url="https://example.org/o",
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        b"".join(client.get(url).streaming_content)
