"""The load benchmark's ceiling view exists only where the bench turns it on."""

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches

import ogp_portal.urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls_with(settings):
    """Load the root URLconf again with BENCH_CEILING_VIEW set as asked, as a fresh
    process would at start; the normal URLconf is restored afterwards."""

    def load(enabled: bool) -> None:
        settings.BENCH_CEILING_VIEW = enabled
        importlib.reload(ogp_portal.urls)
        clear_url_caches()

    yield load
    settings.BENCH_CEILING_VIEW = False
    importlib.reload(ogp_portal.urls)
    clear_url_caches()


def test_the_ceiling_view_is_not_there_in_a_normal_deployment(client, settings):
    assert settings.BENCH_CEILING_VIEW is False
    assert client.get("/bench/ceiling/").status_code == 404


def test_the_ceiling_view_is_not_there_when_the_setting_is_off(client, urls_with):
    urls_with(False)
    assert client.get("/bench/ceiling/").status_code == 404


def test_the_bench_gets_a_tiny_answer_for_one_query(client, urls_with):
    urls_with(True)
    client.get("/bench/ceiling/")  # the first request may set up the session machinery
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/bench/ceiling/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert len(queries) == 1
