"""An export job and its message are one write: both commit, or neither."""

import pytest
from django.db import transaction

from ogp_portal.core import exports
from ogp_portal.core.exports import run_export_task
from ogp_portal.core.models import ExportJob, JobStatus, OutboxMessage


@pytest.mark.django_db
def test_an_export_request_writes_its_message_with_the_job(
    published_plan, civil_servant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        job = exports.request_export("plan", published_plan, civil_servant, "en")
        [row] = OutboxMessage.objects.all()  # in the same transaction, before the commit
    assert (row.task, row.args) == (run_export_task.name, [str(job.pk)])
    assert row.published_at is None
    assert len(callbacks) == 1
    # A second click joins the job: no second message
    assert exports.request_export("plan", published_plan, civil_servant, "en").pk == job.pk
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_a_rolled_back_export_request_leaves_neither_job_nor_message(published_plan, civil_servant):
    @transaction.atomic
    def change_that_fails():
        exports.request_export("plan", published_plan, civil_servant, "en")
        raise RuntimeError("the surrounding change fails")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert not ExportJob.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_a_retried_job_gets_a_new_message(published_plan, civil_servant):
    job = exports.request_export("plan", published_plan, civil_servant, "en")
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="boom")

    exports.retry_export(job)

    assert [row.args for row in OutboxMessage.objects.all()] == [[str(job.pk)], [str(job.pk)]]
