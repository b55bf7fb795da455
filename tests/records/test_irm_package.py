"""The IRM evidence package from the outside: the demo's plan downloads as a ZIP whose JSON
validates against the committed schema; the same content gives the stored archive at once;
only the public record is inside; drafts stay hidden; building reads a bounded number of
queries."""

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]  # no stubs installed (types-jsonschema)
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment
from consultations.choices import InputChannel, InputKind, ResponseDecision
from consultations.models import InputEntry, ReasonedResponse
from ogp_portal.core import exports
from ogp_portal.core.models import ExportJob, GeneratedFile, JobStatus
from plans.models import ActionPlan
from records.irm_package.content import irm_package_content
from tests.factories import CommitmentFactory, MilestoneFactory

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "records/schemas/irm-package.schema.json").read_text()
)


def _start_url(plan):
    ct = ContentType.objects.get_for_model(ActionPlan)
    return reverse("exports:start", args=["irm_package", ct.pk, plan.pk])


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _archive(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _make_package_as_anonymous(client, plan) -> tuple[ExportJob, bytes]:
    page = client.get(reverse("plan_records:irm-package", args=[plan.pk]))
    assert page.status_code == 200
    assert _start_url(plan) in page.content.decode()
    response = client.post(_start_url(plan))
    assert response.status_code == 302
    job = ExportJob.objects.filter(kind="irm_package").latest("created_at")
    exports.run_export(job)  # what the worker does with the queued job
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    download = client.get(reverse("exports:job-download", args=[job.pk]))
    assert download.status_code == 200
    return job, _body(download)


def test_the_demo_plans_package_downloads_and_its_json_validates(client):
    call_command("load_demo", quiet_logins=True)
    plan = ActionPlan.objects.get(title="Fourth National Action Plan 2020–2022")

    job, data = _make_package_as_anonymous(client, plan)

    archive = _archive(data)
    names = archive.namelist()
    for name in (
        "irm-package.json", "summary.pdf", "timeline.csv", "inputs.csv", "seats.csv",
        "attendance.csv", "decisions.csv", "outreach.csv", "repository.csv",
        "commitments.csv", "milestones.csv", "progress.csv", "self-assessment.csv",
    ):  # fmt: skip
        assert name in names
    package = json.loads(archive.read("irm-package.json"))
    jsonschema.validate(package, SCHEMA)
    assert package["plan"]["title"] == plan.title
    ogp_ids = {c.ogp_id for c in Commitment.objects.filter(plan=plan)}
    assert {c["ogp_id"] for c in package["commitments"]} == ogp_ids
    assert package["counts"]["commitments"] == len(ogp_ids) == 8
    assert all(c["milestones"] for c in package["commitments"])
    assert package["self_assessment"]["lines"]
    assert archive.read("summary.pdf").startswith(b"%PDF")
    rows = list(csv.DictReader(io.StringIO(archive.read("commitments.csv").decode())))
    assert {row["ogp_id"] for row in rows} == ogp_ids
    # Fixed entry dates: nothing in the archive says when it was built
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    # The schema is published beside the package
    schema = client.get(reverse("plan_records:irm-package-schema"))
    assert schema.status_code == 200
    assert json.loads(_body(schema))["title"] == SCHEMA["title"]


def test_same_content_gives_the_stored_archive_at_once_and_a_change_a_new_one(client, make_plan):
    plan = make_plan(n=2, status="implementation", title="Open Justice Plan")
    first, data = _make_package_as_anonymous(client, plan)
    assert first.reused is False

    # The page now links the stored archive itself
    page = client.get(reverse("plan_records:irm-package", args=[plan.pk])).content.decode()
    assert reverse("exports:latest", args=["irm_package", plan.pk]) in page

    again, data_again = _make_package_as_anonymous(client, plan)
    assert again.reused is True
    assert again.result_id == first.result_id
    assert data_again == data
    assert GeneratedFile.objects.filter(kind="irm_package").count() == 1

    # A change of content makes a new archive
    Commitment.objects.filter(plan=plan).update(title="Renamed commitment")
    changed, _ = _make_package_as_anonymous(client, plan)
    assert changed.reused is False
    assert changed.result_id != first.result_id


def test_the_json_is_canonical_the_same_twice(make_plan):
    plan = make_plan(n=2)
    first = exports.build_html(exports.get_export("irm_package"), plan, "en", lambda *_: None)
    second = exports.build_html(exports.get_export("irm_package"), plan, "en", lambda *_: None)
    assert first == second
    assert json.loads(first) == json.loads(json.dumps(json.loads(first), sort_keys=True))


def test_only_the_public_record_goes_into_the_package(make_plan, civil_servant):
    plan = make_plan(n=1)
    commitment = Commitment.objects.get(plan=plan)
    published = ReasonedResponse.objects.create(
        plan=plan,
        decision=ResponseDecision.ACCEPTED,
        reason="Taken up in full.",
        published_at=timezone.now(),
    )
    published.commitments.add(commitment)
    draft = ReasonedResponse.objects.create(
        plan=plan, decision=ResponseDecision.NOT_TAKEN_UP, reason="Secret draft reasoning."
    )
    for title, response, public in (
        ("Answered input", published, True),
        ("Input with a draft answer", draft, True),
        ("Hidden comment", None, False),
    ):
        InputEntry.objects.create(
            plan=plan,
            kind=InputKind.OFFLINE,
            channel=InputChannel.PAPER,
            title=title,
            text="What was said",
            contact="private@example.org",
            author_name="Private Person",
            response=response,
            is_public=public,
        )

    package = irm_package_content(plan)
    jsonschema.validate(json.loads(json.dumps(package)), SCHEMA)

    text = json.dumps(package)
    assert "Hidden comment" not in text
    assert "Secret draft reasoning" not in text
    assert "private@example.org" not in text
    assert "Private Person" not in text
    by_title = {row["title"]: row for row in package["inputs"]}
    assert by_title["Answered input"]["response"]["commitments"] == [commitment.ogp_id]
    assert by_title["Input with a draft answer"]["response"] is None
    assert package["counts"]["inputs_answered"] == 1


def test_anonymous_visitors_and_outsiders_get_no_package_of_a_draft_plan(
    client, make_plan, citizen
):
    plan = make_plan(n=1, status="planning")
    assert client.get(reverse("plan_records:irm-package", args=[plan.pk])).status_code == 404
    assert client.post(_start_url(plan)).status_code == 404
    client.force_login(citizen)
    assert client.get(reverse("plan_records:irm-package", args=[plan.pk])).status_code == 404
    assert client.post(_start_url(plan)).status_code == 404
    assert not ExportJob.objects.exists()


def test_insiders_may_make_a_drafts_package_which_stays_private(client, make_plan, civil_servant):
    plan = make_plan(n=1, status="drafting")
    client.force_login(civil_servant)
    assert client.get(reverse("plan_records:irm-package", args=[plan.pk])).status_code == 200
    assert client.post(_start_url(plan)).status_code == 302
    job = exports.run_export(ExportJob.objects.get())
    assert job.status == JobStatus.DONE, job.error
    assert job.is_public is False
    client.logout()
    assert client.get(reverse("exports:job-download", args=[job.pk])).status_code == 404


def test_building_the_content_reads_a_bounded_number_of_queries(
    make_plan, django_assert_max_num_queries
):
    plan = make_plan(n=2)
    with django_assert_max_num_queries(60) as small:
        irm_package_content(plan)
    for i in range(40):
        commitment = CommitmentFactory(plan=plan, position=10 + i, title=f"More {i}")
        for j in range(3):
            MilestoneFactory(
                commitment=commitment,
                position=j,
                start_date=dt.date(2026, 2, 1),
                due_date=dt.date(2026, 6, 30),
            )
    with django_assert_max_num_queries(len(small.captured_queries)):
        package = irm_package_content(plan)
    assert package["counts"]["commitments"] == 42
