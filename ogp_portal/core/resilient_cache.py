"""A Redis cache that degrades instead of failing when Redis is down or slow.

Django's RedisCache raises on every call while Redis is unreachable, and each call may wait
for the network first. This backend (``CACHES["default"]`` whenever REDIS_CACHE_URL is set)
catches connection errors and timeouts, logs them once per outage, and then answers as if
there were no cache at all, like Django's DummyCache: reads miss, writes are dropped,
``add`` succeeds (so a "one request computes, the others wait" lock never makes anyone wait
on a cache that is gone), ``incr`` raises ValueError as for a missing key.

Some keys protect rather than speed up, and must not vanish with the cache: rate-limit
counters (django-ratelimit refuses every request when it cannot count; allauth's sign-in
limits would stop counting) and one-time markers (allauth's used TOTP codes). Keys that start
with one of ``FALLBACK["LOCAL_KEY_PREFIXES"]`` are therefore kept in this process's memory
during an outage. One process sees only its own share of the traffic, so each hit counts
``FALLBACK["COUNT_WEIGHT"]`` times (the number of web processes): together the processes
still let through no more than the shared limit, and a busy process refuses sooner.

Requests never queue behind a dead Redis: the client's connect and read timeouts are short
(OPTIONS ``socket_connect_timeout``/``socket_timeout``, half a second by default here) and
redis-py does not retry; after the first failure the process stops asking Redis for
``FALLBACK["RETRY_SECONDS"]`` and then tries again. So a request waits at most one timeout,
only the requests that try Redis again (once every RETRY_SECONDS) wait at all, and everything
recovers without a restart.

What an outage costs: public pages are rendered for every reader instead of served from the
cache. Redis may come back with its old data (a network cut rather than a crash), while the
invalidations sent during the outage were lost: the keys in ``FALLBACK["DELETE_ON_RECOVERY"]``
(the page cache's site-wide generation) are deleted when a process sees Redis again after
failures, so no page stored before the outage is served after it. Other cached values (report
counts, page indexes) are kept for seconds to minutes and may be that late.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Errors that mean "Redis is not there right now". Others (a wrong type, a full memory) are
# real bugs or limits and still raise.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Client options unless CACHES["default"]["OPTIONS"] says otherwise.
DEFAULT_OPTIONS: dict[str, Any] = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
    # redis-py may retry a failed command with a backoff of seconds; fail at once instead.
    "retry": Retry(NoBackoff(), 0),
}


class _Breaker:
    """Per process and per cache location: is Redis taken to be down, and until when."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.failures = 0

    def is_open(self) -> bool:
        return time.monotonic() < self.down_until


_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(name: str) -> _Breaker:
    with _breakers_lock:
        return _breakers.setdefault(name, _Breaker())


class _Client(RedisCacheClient):
    """Django's Redis client, with fewer commands where that changes nothing: the page
    cache's new generations (set_many without expiry, twice per comment posted)."""

    def set_many(self, data: Mapping[Any, Any], timeout: Any) -> None:
        if timeout is not None:
            super().set_many(data, timeout)
            return
        # Without an expiry there is nothing to add to the MSET (atomic by itself): Django's
        # pipeline wraps it in MULTI and EXEC, three commands and their replies for one.
        dumps = self._serializer.dumps  # type: ignore[attr-defined]  # Django's, not in stubs
        self.get_client(None, write=True).mset({key: dumps(value) for key, value in data.items()})


class ResilientRedisCache(RedisCache):
    """RedisCache that logs Redis outages and treats them as a missing cache (see module)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        fallback = params.get("FALLBACK", {})
        self.retry_seconds = float(fallback.get("RETRY_SECONDS", 5))
        self.local_prefixes = tuple(fallback.get("LOCAL_KEY_PREFIXES", ()))
        self.count_weight = max(1, int(fallback.get("COUNT_WEIGHT", 1)))
        self.delete_on_recovery = list(fallback.get("DELETE_ON_RECOVERY", ()))
        options = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _Client
        # Django makes one backend object per thread; the outage state and the local counters
        # are shared by every thread of the process (LocMemCache shares storage by name).
        name = f"{server}|{params.get('KEY_PREFIX', '')}"
        self.breaker = _breaker_for(name)
        self.local = LocMemCache(
            f"ogp-redis-fallback|{name}", {"OPTIONS": {"MAX_ENTRIES": 100_000}}
        )

    # --- the outage switch ---

    @property
    def is_degraded(self) -> bool:
        """True while this process serves without Redis."""
        return self.breaker.is_open()

    def _try(self, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        breaker = self.breaker
        if breaker.is_open():
            return fallback()
        try:
            if breaker.failures and self.delete_on_recovery:
                # Writes during the outage could not invalidate what Redis kept: drop those
                # keys before anything is read again.
                super().delete_many(self.delete_on_recovery)
            result = call()
        except UNAVAILABLE as error:
            with breaker.lock:
                first = breaker.failures == 0
                breaker.failures += 1
                breaker.down_until = time.monotonic() + self.retry_seconds
            if first:
                logger.warning(
                    "cache: Redis unavailable (%s); serving without it, retrying every %s s",
                    error,
                    self.retry_seconds,
                )
            return fallback()
        if breaker.failures:
            with breaker.lock:
                recovered, breaker.failures = breaker.failures, 0
            if recovered:
                logger.warning("cache: Redis is back after %s failed attempts", recovered)
        return result

    def _is_local(self, key: str) -> bool:
        return bool(self.local_prefixes) and key.startswith(self.local_prefixes)

    def _weighted(self, key: str, value: Any) -> Any:
        if self._is_local(key) and type(value) is int:
            return value * self.count_weight
        return value

    # --- the cache API: Redis first, then the local counters or no cache ---

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        def fallback() -> bool:
            if self._is_local(key):
                return self.local.add(key, self._weighted(key, value), timeout, version)
            return True  # as DummyCache: nobody else holds it

        return self._try(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), fallback
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        def fallback() -> Any:
            if self._is_local(key):
                return self.local.get(key, default, version)
            return default

        return self._try(
            lambda: super(ResilientRedisCache, self).get(key, default, version), fallback
        )

    def set(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> None:
        def fallback() -> None:
            if self._is_local(key):
                self.local.set(key, value, timeout, version)

        self._try(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), fallback
        )

    def touch(
        self, key: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        def fallback() -> bool:
            return self._is_local(key) and self.local.touch(key, timeout, version)

        return self._try(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version), fallback
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        def fallback() -> bool:
            return self._is_local(key) and self.local.delete(key, version)

        return self._try(lambda: super(ResilientRedisCache, self).delete(key, version), fallback)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)

        def fallback() -> dict[Any, Any]:
            return self.local.get_many([k for k in keys if self._is_local(k)], version)

        return self._try(lambda: super(ResilientRedisCache, self).get_many(keys, version), fallback)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        def fallback() -> bool:
            return self._is_local(key) and self.local.has_key(key, version)

        return self._try(lambda: super(ResilientRedisCache, self).has_key(key, version), fallback)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        def fallback() -> int:
            if self._is_local(key):
                return self.local.incr(key, self._weighted(key, delta), version)
            raise ValueError(f"Key '{key}' not found")  # as for a key the cache does not hold

        return self._try(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version), fallback
        )

    def set_many(
        self,
        data: dict[Any, Any],
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> list[Any]:
        def fallback() -> list[Any]:
            local = {k: v for k, v in data.items() if self._is_local(k)}
            if local:
                self.local.set_many(local, timeout, version)
            return []

        return self._try(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), fallback
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)

        def fallback() -> None:
            self.local.delete_many([k for k in keys if self._is_local(k)], version)

        self._try(lambda: super(ResilientRedisCache, self).delete_many(keys, version), fallback)

    def clear(self) -> None:
        self._try(lambda: super(ResilientRedisCache, self).clear(), self.local.clear)
