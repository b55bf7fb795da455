"""Beyond capacity, say "busy, try again" at once instead of queueing until timeouts.

Each gunicorn worker process runs a few threads (gunicorn.conf.py). This middleware lets at
most LOAD_SHEDDING["MAX_REQUESTS"] requests work at once in the process, and at most
LOAD_SHEDDING["MAX_WRITES"] of them be writes (POST and the other unsafe methods: they hold
row locks and the database's write path). A request that cannot get a slot within
LOAD_SHEDDING["WAIT_SECONDS"] is answered 503 with Retry-After, without touching the
database: a short page, and for a form post the typed text in a form that sends it again.
Nothing was saved, so sending it again cannot make a double.

Run with more gunicorn threads than MAX_REQUESTS: the extra threads are what notice the
overflow and answer it quickly. WAIT_SECONDS counts from when the request was ready to be
read (the web worker notes it, ogp_portal/web_worker.py), not from when a thread got to it:
a request that already waited that long in gunicorn's queue, behind the threads, is shed at
once instead of waiting again for a slot. Without this, under twice the capacity requests
sat in that queue until the load tool's 10-second timeout (make bench, overload: median
6.4 s, two timeouts) while the middleware, seeing only the few it was handed, shed little.

It sits right after the static-file middleware, before sessions, so a shed request costs no
query. /health/ is never shed: the orchestrator must see a busy portal as alive.
"""

import threading
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

# Form fields shown as text boxes on the busy page (everything else goes back hidden).
LONG_TEXT_FIELDS = frozenset(
    ("body", "reason", "text", "problem", "causes", "proposed_solution", "expected_results")
)
SECRET_FIELDS = frozenset(("password", "password1", "password2", "oldpassword", "code"))


def _conf() -> dict:
    return {
        "ENABLED": True,
        "MAX_REQUESTS": 0,
        "MAX_WRITES": 0,
        "WAIT_SECONDS": 0.5,
        "RETRY_AFTER_SECONDS": 5,
        "EXEMPT_PATHS": ("/health/", "/static/"),
        **getattr(settings, "LOAD_SHEDDING", {}),
    }


_ready = threading.local()


def request_ready_at(moment: float | None) -> None:
    """The web worker says when this thread's request was ready to read (time.monotonic()),
    or None: unknown (another server, the test client), the wait starts now."""
    _ready.at = moment


def _waited() -> float:
    at = getattr(_ready, "at", None)
    return max(0.0, time.monotonic() - at) if at is not None else 0.0


class LoadSheddingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        conf = _conf()
        self.enabled = conf["ENABLED"] and (conf["MAX_REQUESTS"] or conf["MAX_WRITES"])
        self.requests = _slots(conf["MAX_REQUESTS"])
        self.writes = _slots(conf["MAX_WRITES"])
        self.wait = float(conf["WAIT_SECONDS"])
        self.retry_after = int(conf["RETRY_AFTER_SECONDS"])
        self.exempt = tuple(conf["EXEMPT_PATHS"])

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.enabled or request.path.startswith(self.exempt):
            return self.get_response(request)
        is_write = request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
        # Always in this order (write slot, then request slot), so no two requests can each
        # hold what the other waits for.
        wanted = [s for s in (self.writes if is_write else None, self.requests) if s]
        held = []
        # The wait counts the time already spent queued before this thread got the request.
        deadline = time.monotonic() - _waited() + self.wait
        try:
            for slots in wanted:
                left = deadline - time.monotonic()
                got = slots.acquire(timeout=left) if left > 0 else slots.acquire(blocking=False)
                if not got:
                    return self.shed(request)
                held.append(slots)
            return self.get_response(request)
        finally:
            for slots in held:
                slots.release()

    def shed(self, request: HttpRequest) -> HttpResponse:
        language = translation.get_language_from_request(request)
        fields = []
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for name, values in request.POST.lists():
                if name in SECRET_FIELDS:
                    continue
                for value in values:
                    fields.append((name, value, name in LONG_TEXT_FIELDS))
        with translation.override(language):
            body = render_to_string(
                "core/busy.html",
                {
                    "retry_after": self.retry_after,
                    "action": request.get_full_path(),
                    "fields": fields,
                    "had_files": bool(request.method == "POST" and request.FILES),
                    "language": language,
                },
            )
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(self.retry_after)
        response["Cache-Control"] = "no-store"
        return response


def _slots(size: int) -> threading.BoundedSemaphore | None:
    return threading.BoundedSemaphore(size) if size and size > 0 else None
