"""Test settings: fast hasher, in-memory e-mail outbox, temporary media."""

import os
import tempfile

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-key-" + "x" * 50)
os.environ.setdefault("OGP_VAR_DIR", tempfile.mkdtemp(prefix="ogp-test-var-"))

from .base import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database in a file (in this run's temporary folder), not in memory: the
    # in-memory database's shared cache answers "table is locked" at once when a test and a
    # real worker thread write together, where a file waits (busy timeout, WAL) as in the demo.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each test run keeps its own cache: tests clear it, which must never touch the Redis that the
# broker (and other runs) use.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Public pages are cached in every test (one process, one cache), so a write that fails to
# refresh the pages showing it fails the tests that read them again.
PAGE_CACHE_SECONDS = 60
# Failed sends retry twice, at once: the retry tests run in a second, not in minutes.
EMAIL_MAX_RETRIES = 2
EMAIL_RETRY_BACKOFF = 0
MEDIA_ROOT = VAR_DIR / "media"  # noqa: F405
ALLOWED_HOSTS = ["*"]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
# Tests serve static files through the finders; no collectstatic step is needed.
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
ACCOUNT_RATE_LIMITS = False
# Serve static files from the finders (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
# Tasks queued by tests go to a queue of this test run only, so a demo worker running on
# the same machine (same broker) never takes them. A worker or beat process that a test
# starts is given the run's queue in OGP_TEST_CELERY_QUEUE.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("OGP_TEST_CELERY_QUEUE") or f"ogp-test-{os.getpid()}"
# The API's per-address limit is tested on its own (tests/records/api); the other API tests
# crawl every collection from one address.
API_ANON_RATE = "100000/min"
