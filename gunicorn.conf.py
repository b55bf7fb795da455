"""gunicorn settings for production and the benchmark: `gunicorn ogp_portal.wsgi` reads this
file from the working directory. Every value can be overridden from the environment.

gthread workers: WEB_WORKERS processes x WEB_THREADS threads. Threads cost little memory and
let a process keep answering while others wait on PostgreSQL. Keep WEB_THREADS above
LOAD_SHEDDING_MAX_REQUESTS (settings/base.py): the spare threads are the ones that notice an
overload and answer 503 + Retry-After at once (ogp_portal/core/load_shedding.py) instead of
letting requests queue until they time out. Each thread holds one database connection, so
WEB_WORKERS x WEB_THREADS must stay below PostgreSQL's max_connections (100 by default).
"""

import multiprocessing
import os

bind = os.environ.get("WEB_BIND", "0.0.0.0:8000")
# gthread, with a graceful reload (SIGHUP) that fails no request: the old workers serve
# until the new ones have loaded the app, and leave their reuse_port sockets without
# resetting what they hold (ogp_portal/web_worker.py, tests/test_gunicorn_reload.py).
worker_class = "ogp_portal.web_worker.HandoverThreadWorker"
workers = int(os.environ.get("WEB_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("WEB_THREADS", 6))
# Each process has its own listening socket and the kernel spreads new connections over them.
# With one shared socket the busiest process kept winning accept() and, held to one core by
# the GIL, served most kept-alive connections while the others idled (seen in make bench:
# one worker at 62 % CPU, two at 15 %).
reuse_port = True
# Pending connections the kernel holds before refusing; shedding happens in Django, so this
# only needs to absorb bursts.
backlog = int(os.environ.get("WEB_BACKLOG", 2048))
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# No recycling by default (WEB_MAX_REQUESTS=N turns it on). make bench showed what it costs:
# at 500 req/s each process restarted about once a minute, spent 2-3 s of CPU importing
# Django again, and a client sending on a kept-alive connection as its process exited got a
# reset connection (browsers retry those; load tools count them as errors). Turn it on if a
# deployment sees worker memory grow.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10
# No access log by default: the reverse proxy in front (deploy/nginx.conf, HAProxy) logs every
# request already, with the client's real address. gunicorn's own line, formatted and written
# under a lock by the thread answering, cost 40 % of the throughput of a minimal view on 2
# cores (make bench, 2026-12-07: 646 -> 1,084 req/s; rendered proposal pages 102 -> 139).
# WEB_ACCESS_LOG=- turns it on (to stdout), for a deployment with no proxy that logs.
accesslog = os.environ.get("WEB_ACCESS_LOG", "") or None
# Shedding needs a cap per process; set one here unless the environment chose otherwise.
# One thread per process stays free to answer 503 at once when the others are all busy.
os.environ.setdefault("LOAD_SHEDDING_MAX_REQUESTS", str(max(1, threads - 1)))
os.environ.setdefault("LOAD_SHEDDING_MAX_WRITES", str(max(1, threads // 2)))


def on_reload(server):
    """Tell the old workers that a reload begins (they wait for the new ones)."""
    from ogp_portal.web_worker import reload_started

    reload_started(server.pid)


def on_exit(server):
    from ogp_portal.web_worker import forget

    forget(server.pid)
