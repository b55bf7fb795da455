"""Export jobs: a real Celery worker renders them, stored files are reused until the content
changes, and a failure is shown with its message and can be retried."""

import datetime as dt
import os
import uuid
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from commitments.models import Commitment
from ogp_portal.core import export_kinds, exports
from ogp_portal.core.models import ExportJob, GeneratedFile, JobStatus
from plans.models import ActionPlan

from .conftest import pdf_text, read_file


def test_a_second_export_reuses_the_file_until_a_commitment_changes(db, published_plan):
    first = exports.export_now("plan", published_plan)
    assert first.status == JobStatus.DONE
    assert first.progress == 100
    assert first.reused is False

    second = exports.export_now("plan", published_plan)

    assert second.status == JobStatus.DONE
    assert second.reused is True
    assert second.result_id == first.result_id
    assert GeneratedFile.objects.count() == 1

    # Given an edit of a commitment's title, when exported again, then a new file has it
    commitment = published_plan.commitments.order_by("position").first()
    Commitment.objects.filter(pk=commitment.pk).update(title="Open court decisions")
    third = exports.export_now("plan", published_plan)

    assert third.reused is False
    assert third.result_id != first.result_id
    assert GeneratedFile.objects.count() == 2
    assert "Open court decisions" in pdf_text(read_file(third.result))
    assert "Open court decisions" not in pdf_text(read_file(first.result))


def test_a_double_click_joins_the_queued_job(db, published_plan, civil_servant, citizen):
    with_jobs = ExportJob.objects.filter(kind="plan")

    first = exports.request_export("plan", published_plan, civil_servant, "en")
    again = exports.request_export("plan", published_plan, civil_servant, "en")
    # A published plan is public: someone else asking at the same time joins the same job
    other = exports.request_export("plan", published_plan, citizen, "en")

    assert again.pk == first.pk == other.pk
    assert with_jobs.count() == 1


def test_a_draft_export_is_not_shared_with_someone_who_may_not_follow_it(
    db, draft_plan, civil_servant, secretariat
):
    mine = exports.request_export("plan", draft_plan, civil_servant, "en")
    theirs = exports.request_export("plan", draft_plan, secretariat, "en")
    # The secretariat may follow any job; the civil servant's job is reused for it
    assert theirs.pk == mine.pk
    other = exports.request_export("plan", draft_plan, None, "en")
    assert other.pk != mine.pk


@pytest.mark.django_db(transaction=True)
def test_the_job_runs_in_a_real_worker_and_reaches_done(
    celery_worker_thread, export_runs, published_plan, civil_servant, client
):
    client.force_login(civil_servant)
    ct = ContentType.objects.get_for_model(ActionPlan)

    response = client.post(reverse("exports:start", args=["plan", ct.pk, published_plan.pk]))

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job-detail", args=[job.pk])
    export_runs(1)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.progress == 100
    assert job.started_at
    assert job.finished_at
    status = client.get(reverse("exports:job-status", args=[job.pk])).json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.fixture
def flaky_kind():
    """A document kind whose build fails the first time (a bug, a lost connection)."""
    calls = {"n": 0}

    def build(plan, language, progress):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("template exploded")
        return f"<!DOCTYPE html><html lang='en'><title>t</title><p>{plan.title}</p></html>"

    exports.register_export(
        "flaky",
        model=ActionPlan,
        build=build,
        can_export=lambda user, plan: True,
        filename=lambda plan, language: f"flaky-{plan.pk}.pdf",
    )
    yield
    export_kinds._REGISTRY.pop("flaky", None)


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_shows_its_message_and_can_be_retried(
    celery_worker_thread, export_runs, flaky_kind, published_plan, civil_servant, client
):
    client.force_login(civil_servant)
    ct = ContentType.objects.get_for_model(ActionPlan)
    client.post(reverse("exports:start", args=["flaky", ct.pk, published_plan.pk]))
    job = ExportJob.objects.get(kind="flaky")

    export_runs(1)
    assert ExportJob.objects.get(pk=job.pk).status == JobStatus.FAILED

    page = client.get(reverse("exports:job-detail", args=[job.pk])).content.decode()
    assert "The export failed." in page
    assert "error on our side" in page
    assert "template exploded" not in page  # the traceback is for the log, not the reader
    assert "Try again" in page
    state = client.get(reverse("exports:job-status", args=[job.pk])).json()
    assert state["status"] == "failed"
    assert state["error"]

    response = client.post(reverse("exports:job-retry", args=[job.pk]))

    assert response.status_code == 302
    export_runs(2)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.error == ""
    assert job.progress == 100
    assert job.result is not None


def test_a_plan_deleted_before_its_job_runs_fails_with_a_clear_message(db, published_plan):
    job = exports.request_export("plan", published_plan, None, "en")
    ExportJob.objects.filter(pk=job.pk).update(target_id=published_plan.pk + 1000)

    job = exports.run_export(ExportJob.objects.get(pk=job.pk))

    assert job.status == JobStatus.FAILED
    assert "no longer exists" in job.error


def test_a_job_is_claimed_once(db, published_plan):
    job = exports.request_export("plan", published_plan, None, "en")
    done = exports.run_export(job)
    assert done.status == JobStatus.DONE
    assert done.reused is False
    # A duplicated task finds the job no longer queued and does nothing: it does not claim
    # the job again (a new start time) nor build and store the document again (a reuse)
    again = exports.run_export(ExportJob.objects.get(pk=job.pk))
    assert again.status == JobStatus.DONE
    assert (again.started_at, again.finished_at) == (done.started_at, done.finished_at)
    assert again.reused is False
    assert again.result_id == done.result_id
    assert GeneratedFile.objects.count() == 1


@pytest.fixture
def racing_kind(published_plan):
    """A kind whose second job renders and stores the same content while the first one is
    about to store its own (the first job's _store asks for the file name, and at that
    moment the other job runs to the end): the unique constraint race of _store."""
    token = uuid.uuid4().hex[:8]
    state: dict[str, Any] = {"second": None}

    def filename(plan, language):
        if state["second"] is None:
            state["second"] = "running"
            state["second"] = exports.export_now("racing", plan, language="en")
        return f"race-{token}.pdf"

    exports.register_export(
        "racing",
        model=ActionPlan,
        build=lambda plan, language, progress: (
            f"<!DOCTYPE html><html lang='en'><title>Race</title><p>{plan.title}</p></html>"
        ),
        can_export=lambda user, plan: True,
        filename=filename,
    )
    yield state, f"race-{token}"
    export_kinds._REGISTRY.pop("racing", None)


def test_two_jobs_rendering_the_same_content_keep_one_file(db, published_plan, racing_kind):
    state, stem = racing_kind

    first = exports.export_now("racing", published_plan, language="en")

    second = state["second"]
    assert second.status == JobStatus.DONE, second.error
    assert second.reused is False
    # The first job lost the race on the unique constraint: it uses the winner's file
    assert first.status == JobStatus.DONE, first.error
    assert first.reused is True
    assert first.result_id == second.result_id
    assert GeneratedFile.objects.filter(kind="racing").count() == 1
    # … and the file it rendered is not left behind in the storage
    folder = os.path.dirname(first.result.file.name)
    stored = [name for name in default_storage.listdir(folder)[1] if name.startswith(stem)]
    assert stored == [os.path.basename(first.result.file.name)]


# --- lost jobs -------------------------------------------------------------------------------


def _lost_job(plan, user, **fields):
    """A job as a worker killed at the hard time limit leaves it (no task will finish it)."""
    job = ExportJob.objects.create(
        kind="plan",
        target_type=ContentType.objects.get_for_model(ActionPlan),
        target_id=plan.pk,
        language="en",
        requested_by=user,
        is_public=True,
    )
    ExportJob.objects.filter(pk=job.pk).update(**fields)
    return ExportJob.objects.get(pk=job.pk)


@pytest.mark.django_db(transaction=True)
def test_a_job_its_worker_lost_is_shown_failed_and_can_be_retried(
    celery_worker_thread, export_runs, published_plan, civil_servant, client
):
    long_ago = timezone.now() - exports.stale_after() - dt.timedelta(minutes=1)
    lost = _lost_job(
        published_plan,
        civil_servant,
        status=JobStatus.RUNNING,
        progress=45,
        step="Laying out page 3",
        started_at=long_ago,
        created_at=long_ago,
    )
    never_started = _lost_job(
        published_plan,
        civil_servant,
        status=JobStatus.QUEUED,
        created_at=long_ago,
        queued_at=long_ago,
    )
    just_started = _lost_job(
        published_plan, civil_servant, status=JobStatus.RUNNING, started_at=timezone.now()
    )
    client.force_login(civil_servant)

    # The page polls its status: a job older than any time limit is failed, with a reason
    state = client.get(reverse("exports:job-status", args=[lost.pk])).json()
    assert state["status"] == "failed"
    assert "took too long" in state["error"]
    assert state["download_url"] == ""
    page = client.get(reverse("exports:job-detail", args=[never_started.pk])).content.decode()
    assert "took too long" in page
    assert "Try again" in page
    assert ExportJob.objects.get(pk=never_started.pk).status == JobStatus.FAILED
    # A job still within its time is left running
    state = client.get(reverse("exports:job-status", args=[just_started.pk])).json()
    assert state["status"] == "running"

    # Try again: the worker makes the document
    response = client.post(reverse("exports:job-retry", args=[lost.pk]))

    assert response.status_code == 302
    export_runs(1)
    lost.refresh_from_db()
    assert lost.status == JobStatus.DONE, lost.error
    assert lost.error == ""
    assert lost.result is not None


def test_retry_takes_a_lost_job_even_before_anyone_looked_at_it(db, published_plan, citizen):
    long_ago = timezone.now() - exports.stale_after() - dt.timedelta(minutes=1)
    lost = _lost_job(
        published_plan, citizen, status=JobStatus.RUNNING, started_at=long_ago, created_at=long_ago
    )
    fresh = _lost_job(published_plan, citizen, status=JobStatus.QUEUED)

    assert exports.retry_export(lost).status == JobStatus.QUEUED
    assert exports.retry_export(fresh).status == JobStatus.QUEUED  # untouched, still waiting
    assert ExportJob.objects.get(pk=fresh.pk).created_at == fresh.created_at
