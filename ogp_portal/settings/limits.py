"""Capacity and abuse limits, and logging, read by base.py (kept apart so that base.py stays
readable; the same environment variables as everywhere)."""

import environ

# The same environment base.py reads (its .env file is already loaded into it).
_env = environ.Env()

# --- Capacity and abuse limits ---
# Per gunicorn process (gunicorn.conf.py runs WEB_THREADS threads in each): at most
# MAX_REQUESTS requests work at once, MAX_WRITES of them writes; one that waits longer than
# WAIT_SECONDS for a slot gets 503 + Retry-After (ogp_portal/core/load_shedding.py). 0 = no cap.
# The wait is long enough that a busy moment is served a little late rather than refused.
LOAD_SHEDDING = {
    "ENABLED": _env.bool("LOAD_SHEDDING", default=True),
    "MAX_REQUESTS": _env.int("LOAD_SHEDDING_MAX_REQUESTS", default=0),
    "MAX_WRITES": _env.int("LOAD_SHEDDING_MAX_WRITES", default=0),
    "WAIT_SECONDS": _env.float("LOAD_SHEDDING_WAIT_SECONDS", default=2.0),
    "RETRY_AFTER_SECONDS": _env.int("LOAD_SHEDDING_RETRY_AFTER", default=5),
    "EXEMPT_PATHS": ("/health/", "/static/"),
}
# Comments: per network address (django-ratelimit, in the cache) and per account (counted in
# the database over COMMENT_LIMIT_WINDOW_SECONDS).
COMMENT_RATE_PER_IP = _env.str("COMMENT_RATE_PER_IP", default="30/m")
COMMENT_LIMIT_PER_ACCOUNT = _env.int("COMMENT_LIMIT_PER_ACCOUNT", default=10)
COMMENT_LIMIT_WINDOW_SECONDS = _env.int("COMMENT_LIMIT_WINDOW_SECONDS", default=300)


# --- Logging ---
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint logs every step of every render at INFO (and parses its stylesheets on
        # import); only its warnings belong in the log. Its page-by-page progress is read by
        # ogp_portal/core/pdf.py with its own handler, so it need not reach the console.
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING", "propagate": False},
        "fontTools": {"level": "WARNING"},
    },
}
