"""Export jobs: a real Celery worker renders them, stored files are reused until the content
changes, and a failure is shown with its message and can be retried."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from commitments.models import Commitment
from ogp_portal.core import exports
from ogp_portal.core.models import ExportJob, GeneratedFile, JobStatus
from plans.models import ActionPlan
from tests.conftest import wait_for

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
    celery_worker_thread, published_plan, civil_servant, client
):
    client.force_login(civil_servant)
    ct = ContentType.objects.get_for_model(ActionPlan)

    response = client.post(reverse("exports:start", args=["plan", ct.pk, published_plan.pk]))

    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:job-detail", args=[job.pk])
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == JobStatus.DONE, timeout=60)
    job.refresh_from_db()
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
    exports._REGISTRY.pop("flaky", None)


@pytest.mark.django_db(transaction=True)
def test_a_failed_job_shows_its_message_and_can_be_retried(
    celery_worker_thread, flaky_kind, published_plan, civil_servant, client
):
    client.force_login(civil_servant)
    ct = ContentType.objects.get_for_model(ActionPlan)
    client.post(reverse("exports:start", args=["flaky", ct.pk, published_plan.pk]))
    job = ExportJob.objects.get(kind="flaky")

    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == JobStatus.FAILED, timeout=60)

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
    wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == JobStatus.DONE, timeout=60)
    job.refresh_from_db()
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
    # A duplicated task finds the job no longer queued and does nothing
    again = exports.run_export(ExportJob.objects.get(pk=job.pk))
    assert again.status == JobStatus.DONE
    assert GeneratedFile.objects.count() == 1
