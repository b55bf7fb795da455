"""Issue #14: Redis killed while a signed-in person posts comments costs nobody their text or
their session (ogp_portal/core/resilient_cache.py, sessions in the database).

200 comment posts from one signed-in person through the full middleware stack; the private
Redis behind the cache is killed after post 40 and started again (empty, as after a crash)
OUTAGE seconds later, posts 41-160 spread over the outage and 161-200 after it. The suite
uses a short outage; OGP_FAULT_REDIS_OUTAGE_SECONDS=30 gives the issue's 30 s (run with -s to
see the figures).
"""

import os
import time
from collections import Counter

import pytest
import redis
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.test import Client, override_settings
from django.urls import reverse

from consultations.models import Comment
from tests.factories import PlanFactory

from .conftest import resilient_cache_settings

OUTAGE = float(os.environ.get("OGP_FAULT_REDIS_OUTAGE_SECONDS", "3"))
POSTS, KILL_AFTER, BACK_BEFORE = 200, 40, 161


@pytest.fixture
def limits(settings):
    # One person posting 200 comments: the per-address and per-account limits are not
    # what this test is about (they are tested in tests/consultations/test_comments.py).
    settings.COMMENT_RATE_PER_IP = "1000/m"
    settings.COMMENT_LIMIT_PER_ACCOUNT = 1000
    settings.PAGE_CACHE_SECONDS = 60


def test_two_hundred_comments_through_a_redis_outage(
    redis_cache, limits, citizen, member, proposal
):
    # Given a signed-in person (a real session cookie, from the database store)
    person = Client(raise_request_exception=False)
    person.force_login(citizen)
    public_plan = PlanFactory(member=member, status="implementation")
    export_url = reverse(
        "exports:start",
        args=["plan", ContentType.objects.get_for_model(public_plan).pk, public_plan.pk],
    )
    statuses: Counter[int] = Counter()
    slowest = {"before": 0.0, "outage": 0.0, "after": 0.0}
    checks: Counter[str] = Counter()
    killed_at = 0.0

    # When Redis is killed after post 40 and comes back OUTAGE seconds later
    for n in range(1, POSTS + 1):
        if n == KILL_AFTER + 1:
            redis_cache.kill()
            killed_at = time.monotonic()
        if KILL_AFTER < n < BACK_BEFORE:
            # spread the outage posts over the whole outage
            due = killed_at + (n - KILL_AFTER - 1) * OUTAGE / (BACK_BEFORE - KILL_AFTER - 1)
            time.sleep(max(0.0, due - time.monotonic()))
        if n == BACK_BEFORE:
            time.sleep(max(0.0, killed_at + OUTAGE - time.monotonic()))
            redis_cache.start()
        phase = "before" if n <= KILL_AFTER else "outage" if n < BACK_BEFORE else "after"

        started = time.monotonic()
        response = person.post(
            reverse("consultations:comment-create"),
            {"proposal": proposal.pk, "body": f"Fault post {n}"},
        )
        slowest[phase] = max(slowest[phase], time.monotonic() - started)
        statuses[response.status_code] += 1

        if n % 20 == 0:
            # ... the person stays signed in, and anonymous readers still get pages
            page = person.get(proposal.get_absolute_url())
            assert page.status_code == 200
            assert page.wsgi_request.user.pk == citizen.pk
            checks[f"signed-in page {phase}"] += 1
            anonymous = Client(raise_request_exception=False).get(proposal.get_absolute_url())
            assert anonymous.status_code == 200
            assert proposal.title in anonymous.content.decode()
            checks[f"anonymous page {phase}"] += 1
        if n in (KILL_AFTER + 10, BACK_BEFORE - 10):
            # ... and an anonymous PDF export is started, not refused by the rate limiter
            export = Client(raise_request_exception=False).post(export_url)
            assert export.status_code == 302, export.status_code
            checks["anonymous export during the outage"] += 1

    # Then every post is stored exactly once, none failed, and Redis is in use again
    bodies = Comment.objects.filter(body__startswith="Fault post ")
    stored = bodies.count()
    doubled = bodies.values("body").annotate(n=Count("pk")).filter(n__gt=1).count()
    lost = POSTS - bodies.values("body").distinct().count()
    figures = {
        "responses": dict(statuses),
        "stored": stored,
        "lost": lost,
        "doubled": doubled,
        "slowest post (s)": {k: round(v, 3) for k, v in slowest.items()},
        "checks": dict(checks),
    }
    print(f"\nRedis killed for {OUTAGE:.0f} s after post {KILL_AFTER}: {figures}")  # noqa: T201 -- the issue's figures, shown with -s
    assert statuses == {302: POSTS}
    assert (stored, lost, doubled) == (POSTS, 0, 0)
    assert checks["signed-in page outage"] == 6
    assert checks["anonymous page outage"] == 6
    # A request never queues behind Redis (a frozen server is tested in
    # test_resilient_cache.py); generous bounds here, as the machine may be busy.
    assert max(slowest.values()) < 3
    time.sleep(0.6)  # the cache's RETRY_SECONDS in this test
    assert Client().get(proposal.get_absolute_url()).status_code == 200
    assert redis.Redis.from_url(redis_cache.url).dbsize() > 0


def test_a_frozen_redis_never_holds_a_request_for_a_second(
    private_redis, limits, citizen, proposal
):
    # Given a Redis that accepts connections and never answers, and a process that tries it
    # again only after 30 s (production: CACHE_RETRY_SECONDS, 5 s)
    redis_cache = private_redis
    with override_settings(CACHES=resilient_cache_settings(private_redis.url, retry_seconds=30)):
        _post_while_frozen(redis_cache, citizen, proposal)


def _post_while_frozen(redis_cache, citizen, proposal):
    person = Client(raise_request_exception=False)
    person.force_login(citizen)
    person.get(proposal.get_absolute_url())
    redis_cache.freeze()
    # When the person posts and reads
    timings = []
    for n in range(10):
        started = time.monotonic()
        response = person.post(
            reverse("consultations:comment-create"),
            {"proposal": proposal.pk, "body": f"Frozen post {n}"},
        )
        timings.append(time.monotonic() - started)
        assert response.status_code == 302
    redis_cache.thaw()
    # Then the first request waits one read timeout (0.5 s), the others not at all
    assert Comment.objects.filter(body__startswith="Frozen post ").count() == 10
    assert max(timings) < 1.5
    assert sorted(timings)[-2] < 0.5


def test_during_an_outage_rate_limits_hold_in_each_process(private_redis, settings, member):
    # Given two web processes' worth of weight, and a limit of 4 anonymous exports an hour
    settings.EXPORTS_ANONYMOUS_RATE = "4/h"
    plan = PlanFactory(member=member, status="implementation")
    url = reverse(
        "exports:start", args=["plan", ContentType.objects.get_for_model(plan).pk, plan.pk]
    )
    with override_settings(CACHES=resilient_cache_settings(private_redis.url, weight=2)):
        # When Redis is down
        private_redis.kill()
        statuses = [Client(raise_request_exception=False).post(url).status_code for _ in range(3)]
    # Then this process lets through its share (4 / 2), refuses the next, and nothing fails
    assert statuses == [302, 302, 429]
