"""The Redis cache backend while its server is down, frozen, or back
(ogp_portal/core/resilient_cache.py), against a private redis-server."""

import time

import pytest
from redis.exceptions import ResponseError

from ogp_portal.core.resilient_cache import ResilientRedisCache

from .conftest import PrivateRedis


def make_cache(server: PrivateRedis, *, weight: int = 1) -> ResilientRedisCache:
    return ResilientRedisCache(
        server.url,
        {
            "KEY_PREFIX": "t",
            "FALLBACK": {
                "RETRY_SECONDS": 0.3,
                "LOCAL_KEY_PREFIXES": ["rl:"],
                "COUNT_WEIGHT": weight,
            },
        },
    )


def test_a_dead_redis_is_no_cache(private_redis, caplog):
    cache = make_cache(private_redis)
    cache.set("page", "stored")
    assert cache.get("page") == "stored"

    private_redis.kill()
    started = time.monotonic()
    assert cache.get("page", "missed") == "missed"
    assert cache.get_many(["page", "other"]) == {}
    cache.set("page", "new")
    cache.set_many({"a": 1})
    assert cache.add("lock", True) is True  # nobody waits for a lock in a cache that is gone
    assert cache.delete("page") is False
    assert cache.has_key("page") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")
    assert time.monotonic() - started < 1
    assert cache.is_degraded
    # one warning for the outage, not one per call
    warnings = [r.getMessage() for r in caplog.records if r.name.endswith("resilient_cache")]
    assert len(warnings) == 1
    assert "Redis unavailable" in warnings[0]


def test_rate_limit_counters_count_in_the_process_with_a_weight(private_redis):
    cache = make_cache(private_redis, weight=3)
    private_redis.kill()
    assert cache.add("rl:comments:127.0.0.1", 1) is True
    assert cache.incr("rl:comments:127.0.0.1") == 6
    assert cache.get("rl:comments:127.0.0.1") == 6
    # other keys stay uncached
    cache.set("pagecache:gen:site", "abc")
    assert cache.get("pagecache:gen:site") is None


def test_a_frozen_redis_costs_one_timeout_then_nothing(private_redis):
    cache = make_cache(private_redis)
    cache.set("page", "stored")
    private_redis.freeze()
    try:
        started = time.monotonic()
        assert cache.get("page") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(50):
            assert cache.get("page") is None
        after = time.monotonic() - started
    finally:
        private_redis.thaw()
    assert 0.3 < first < 1.0
    assert after < 0.1


def test_the_cache_comes_back_without_a_restart(private_redis):
    cache = make_cache(private_redis)
    private_redis.kill()
    cache.set("page", "lost")
    private_redis.start()
    time.sleep(0.4)  # RETRY_SECONDS: the next call asks Redis again
    cache.set("page", "kept")
    assert cache.get("page") == "kept"
    assert not cache.is_degraded


def test_errors_that_are_not_an_outage_still_raise(private_redis):
    cache = make_cache(private_redis)
    cache.set("text", "not a number")
    with pytest.raises(ResponseError):
        cache.incr("text")
    assert not cache.is_degraded


def test_after_a_network_cut_the_page_generation_is_dropped(private_redis):
    # Given a page generation in Redis, and Redis unreachable while a write changes the site
    cache = ResilientRedisCache(
        private_redis.url,
        {"FALLBACK": {"RETRY_SECONDS": 0.3, "DELETE_ON_RECOVERY": ["pagecache:gen:all"]}},
    )
    cache.set("pagecache:gen:all", "before")
    private_redis.freeze()
    try:
        cache.set("pagecache:gen:all", "during")  # lost: Redis does not answer
    finally:
        private_redis.thaw()
    assert cache.is_degraded
    # When Redis answers again, with its old data
    time.sleep(0.4)
    # Then no page stored under the old generation is found again
    assert cache.get("pagecache:gen:all") is None
    assert not cache.is_degraded


def test_set_many_keeps_values_for_as_long_as_asked(private_redis):
    # Given a value kept for a minute
    cache = make_cache(private_redis)
    cache.set("gen:a", "old", 60)

    # When several are set without an expiry (the page cache's generations), then with one
    cache.set_many({"gen:a": "new", "gen:b": {"any": "value"}}, None)
    cache.set_many({"short": 1}, 1)

    # Then the first stay until replaced (no expiry left over from before), the last expires
    assert cache.get_many(["gen:a", "gen:b"]) == {"gen:a": "new", "gen:b": {"any": "value"}}
    client = cache._cache.get_client(None)
    assert client.ttl(cache.make_key("gen:a")) == client.ttl(cache.make_key("gen:b")) == -1
    assert 0 < client.ttl(cache.make_key("short")) <= 1
