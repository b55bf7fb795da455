import pytest
from django.urls import reverse

from ogp_portal.celery import app as celery_app

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_database_and_broker_answer(client, settings):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["broker_transport"] == ("redis" if settings.REDIS_URL else "embedded")


def test_health_is_503_when_the_broker_is_unreachable(client):
    # A real connection attempt to a port where nothing listens.
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = "redis://127.0.0.1:9/0"
    try:
        response = client.get(reverse("health"))
    finally:
        celery_app.conf.broker_url = original
    assert response.status_code == 503
    assert response.json() == {
        **response.json(),
        "status": "unavailable",
        "database": "ok",
        "broker": "unreachable",
    }


def test_health_shows_when_beat_last_ran(client):
    from ogp_portal.core.tasks import record_heartbeat_task

    assert client.get(reverse("health")).json()["scheduler_seen_at"] is None
    record_heartbeat_task()  # the body of the periodic task, run directly
    assert client.get(reverse("health")).json()["scheduler_seen_at"] is not None
