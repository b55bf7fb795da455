"""A task goes through the configured broker to a real worker process and back."""

import os

from ogp_portal.core.tasks import ping_task


def test_round_trip_through_a_real_worker(celery_worker_queue, settings):
    result = ping_task.apply_async(args=["hello"], queue=celery_worker_queue)
    reply = result.get(timeout=60)
    assert reply["echo"] == "hello"
    # Another process did the work: the task was not run eagerly in the test process
    assert reply["pid"] != os.getpid()
    expected = "redis" if settings.REDIS_URL else "filesystem"
    assert ping_task.app.connection_for_write().transport_cls == expected
