"""Settings of the portal instances that the cross-instance tests start (tests/multi/): the
test settings (fast hasher, static files from the finders, the run's Celery queue, media
under the run's OGP_VAR_DIR) plus what several hosts share in production: the cache in
Redis (REDIS_CACHE_URL), so page cache, rate limits and invalidations reach every instance.

test.py keeps each test run's cache in memory; base.py has already built the Redis cache
from the environment, so it is taken from there rather than built a second way."""

from ogp_portal.settings import base as _base
from ogp_portal.settings.test import *  # noqa: F403

if not _base.REDIS_CACHE_URL:
    raise RuntimeError("tests.multi.settings needs REDIS_CACHE_URL: the instances share a cache")
CACHES = _base.CACHES
