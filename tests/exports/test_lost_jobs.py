"""Export jobs whose worker or message was lost: the heartbeat shows a run is alive, the
sweeper runs a lost job again (and fails one that keeps killing its worker), "Try again"
works on a stuck job, and a new export never joins a dead one."""

import datetime as dt
import time

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from ogp_portal.core import export_liveness, export_sweep, exports
from ogp_portal.core.models import ExportJob, GeneratedFile, JobStatus
from plans.models import ActionPlan

LONG_AGO = dt.timedelta(minutes=5)


def _job(plan, user=None, **fields):
    """A job of the plan's PDF in the state `fields` describe (no message is sent)."""
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


def _dead_run(plan, user=None, **fields):
    """A job as a worker killed mid-render leaves it: run 1, 40 %, heartbeat long stopped."""
    long_ago = timezone.now() - LONG_AGO
    state = {
        "status": JobStatus.RUNNING,
        "attempt": 1,
        "progress": 40,
        "step": "Laying out the pages",
        "started_at": long_ago,
        "heartbeat_at": long_ago,
    }
    return _job(plan, user, **(state | fields))


def test_the_sweeper_queues_again_a_job_whose_heartbeat_stopped(
    db, published_plan, django_capture_on_commit_callbacks
):
    dead = _dead_run(published_plan)

    with django_capture_on_commit_callbacks() as queued:
        counts = export_sweep.export_jobs_sweep()

    assert counts == {"restarted": 1, "resent": 0, "failed": 0}
    assert len(queued) == 1  # one message, sent once the change is committed
    dead.refresh_from_db()
    assert dead.status == JobStatus.QUEUED
    assert dead.restarts == 1
    assert dead.progress == 0
    assert dead.step == "Starting again after an interruption"
    assert dead.heartbeat_at is None
    # The dead run, should its worker still live, may no longer write to the job
    with pytest.raises(exports.RunSuperseded):
        exports._progress_for(dead, 1)(45, "Laying out page 3")
    assert export_liveness.beat(dead.pk, 1) is False
    # A second sweep finds nothing to do: the job was queued again just now
    with django_capture_on_commit_callbacks() as queued_again:
        assert export_sweep.export_jobs_sweep() == {"restarted": 0, "resent": 0, "failed": 0}
    assert queued_again == []

    # The message is taken by a worker: run 2 makes the document
    done = exports.run_export(dead)

    assert done.status == JobStatus.DONE, done.error
    assert done.attempt == 2
    assert done.result is not None


def test_the_sweeper_sends_a_lost_message_again_and_leaves_live_jobs_alone(
    db, published_plan, make_plan, django_capture_on_commit_callbacks
):
    now = timezone.now()
    lost_message = _job(published_plan, queued_at=now - LONG_AGO)
    waiting = _job(make_plan(n=1))
    running = _job(
        make_plan(n=1), status=JobStatus.RUNNING, attempt=1, started_at=now, heartbeat_at=now
    )

    with django_capture_on_commit_callbacks() as queued:
        counts = export_sweep.export_jobs_sweep()

    assert counts == {"restarted": 0, "resent": 1, "failed": 0}
    assert len(queued) == 1
    lost_message.refresh_from_db()
    assert lost_message.status == JobStatus.QUEUED
    assert lost_message.queued_at > now
    for job in (waiting, running):
        again = ExportJob.objects.get(pk=job.pk)
        assert (again.status, again.queued_at, again.heartbeat_at) == (
            job.status,
            job.queued_at,
            job.heartbeat_at,
        )


def test_a_job_that_keeps_losing_its_worker_fails_after_a_few_restarts(
    db, published_plan, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_MAX_RESTARTS = 2
    dead = _dead_run(published_plan, restarts=2)

    with django_capture_on_commit_callbacks() as queued:
        counts = export_sweep.export_jobs_sweep()

    assert counts == {"restarted": 0, "resent": 0, "failed": 1}
    assert queued == []
    dead.refresh_from_db()
    assert dead.status == JobStatus.FAILED
    assert "stopped several times" in dead.error
    # "Try again" gives it a fresh set of restarts
    with django_capture_on_commit_callbacks() as retried:
        assert exports.retry_export(dead).status == JobStatus.QUEUED
    assert len(retried) == 1
    assert ExportJob.objects.get(pk=dead.pk).restarts == 0


def test_a_second_click_while_the_first_job_is_dead_starts_a_new_job(
    db, published_plan, civil_servant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        first = exports.request_export("plan", published_plan, civil_servant, "en")
        assert exports._claim(first) == 1
        # Alive (its heartbeat is fresh): a second click joins it
        assert exports.request_export("plan", published_plan, civil_servant, "en").pk == first.pk

    # Its worker is killed: the heartbeat stops
    ExportJob.objects.filter(pk=first.pk).update(heartbeat_at=timezone.now() - LONG_AGO)
    with django_capture_on_commit_callbacks() as queued:
        second = exports.request_export("plan", published_plan, civil_servant, "en")

    assert second.pk != first.pk
    assert second.status == JobStatus.QUEUED
    assert len(queued) == 1

    # The same with a job whose message was lost before any worker took it
    ExportJob.objects.filter(pk=second.pk).update(queued_at=timezone.now() - LONG_AGO)
    third = exports.request_export("plan", published_plan, civil_servant, "en")
    assert third.pk not in (first.pk, second.pk)


def test_try_again_leaves_a_job_that_is_alive_alone(
    db, published_plan, civil_servant, client, django_capture_on_commit_callbacks
):
    now = timezone.now()
    alive = _job(
        published_plan,
        civil_servant,
        status=JobStatus.RUNNING,
        attempt=1,
        progress=40,
        started_at=now,
        heartbeat_at=now,
    )
    client.force_login(civil_servant)
    assert client.get(reverse("exports:job-status", args=[alive.pk])).json()["is_stuck"] is False

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("exports:job-retry", args=[alive.pk]))

    assert response.status_code == 302
    assert queued == []
    again = ExportJob.objects.get(pk=alive.pk)
    assert (again.status, again.attempt, again.progress) == (JobStatus.RUNNING, 1, 40)


@pytest.mark.django_db(transaction=True)
def test_try_again_on_a_stuck_job_queues_it_again_and_it_finishes(
    celery_worker_thread, export_runs, published_plan, civil_servant, client
):
    stuck = _dead_run(published_plan, civil_servant)
    client.force_login(civil_servant)

    # The page says it seems to have stopped and offers "Try again"
    state = client.get(reverse("exports:job-status", args=[stuck.pk])).json()
    assert state["status"] == "running"
    assert state["is_stuck"] is True
    page = client.get(reverse("exports:job-detail", args=[stuck.pk])).content.decode()
    assert "seems to have stopped" in page
    assert "Try again" in page

    response = client.post(reverse("exports:job-retry", args=[stuck.pk]))

    assert response.status_code == 302
    export_runs(1)
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.DONE, stuck.error
    assert stuck.attempt == 2  # a new run; the stuck run 1 was marked dead
    assert stuck.result is not None
    assert GeneratedFile.objects.count() == 1
    state = client.get(reverse("exports:job-status", args=[stuck.pk])).json()
    assert state["is_stuck"] is False
    assert state["download_url"]


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_goes_on_while_a_run_holds_its_job_and_stops_after(published_plan, settings):
    settings.EXPORT_HEARTBEAT_SECONDS = 0.05
    started = timezone.now() - LONG_AGO
    job = _job(
        published_plan,
        status=JobStatus.RUNNING,
        attempt=3,
        started_at=started,
        heartbeat_at=started,
    )

    with export_liveness.HeartbeatThread(job.pk, 3) as heartbeat:
        deadline = time.monotonic() + 10
        while ExportJob.objects.get(pk=job.pk).heartbeat_at == started:
            assert time.monotonic() < deadline, "no heartbeat"
            time.sleep(0.02)
        assert not export_liveness.is_stuck(ExportJob.objects.get(pk=job.pk))
        # The run is replaced (queued again): the thread stops by itself
        ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
        heartbeat.join(timeout=10)
        assert not heartbeat.is_alive()
