"""Whole public pages for anonymous readers, kept in the cache until what they show changes.

A page opts in where its URL is declared: ``public_page(view, scopes)``, where
``scopes(kwargs)`` names what the page shows: ``"site"`` (plans, commitments, members,
consultations themselves), ``"consultation:<pk>"`` (its proposals, comments, supports),
``"proposal:<pk>"``; every page also belongs to ``"all"``, which bulk loads (``seed_scale``)
change. Each scope has a generation in the cache, and a page is
stored under the generations it was read with. A write calls ``changed(*scopes)`` at once
and again after its transaction commits, so the next reader renders the page afresh. Nobody
places those calls by hand: each app registers its content models with
``register_content_models`` in its ready(), declaring which scopes a row changes (the
post_save/post_delete signals below apply it to every save and delete) and which scopes a
bulk write of the model changes (``QuerySet.update``, ``bulk_create``, ``bulk_update``, m2m
``add``/``set``, raw SQL: a statement that cannot name its rows; the whole site unless
declared narrower). A database hook on every connection (``watch_writes``) sees each INSERT,
UPDATE and DELETE on a registered model's table that no signal covers and applies the bulk
scopes, so a forgotten call can no longer leave a stale page. Where the whole site is too
much for a frequent write (a proposal's comment counter, bumped by every comment) the writer
names the rows' scopes with ``declared(model, *scopes)`` around it.

A page rendered while a write commits is stored under the old generation, which nobody
reads any more: it is never served after the write.

Generations are random tokens, not counters: if the cache drops one, the new token matches
no stored page. Pages expire after ``PAGE_CACHE_SECONDS`` anyway, and sooner when a view
says when it changes by itself (``valid_until``: a consultation window opening or closing).

A crowd reading a page that is not stored (new, or its scopes just changed) or that has
just expired is answered by one rendering, not one per reader (``serve_or_render``, which
the API's lists use too): the first reader takes a short lock and renders; while it does,
the others get the expired copy if there is one, or wait for the new one. An expired copy is
kept ``STALE_SECONDS`` past its time for that, and only when the page expired with time
alone: after a write the key is new (new generations), so no copy from before is found,
and a page that ``valid_until`` limits is never served past that moment. The answer says
which it was in ``X-Page-Cache``: ``hit`` (a fresh copy, kept or just rendered by another
request), ``stale`` (the expired copy, during a render), ``miss`` (rendered and kept).

Only for GET requests without a session cookie or a pending message cookie (anonymous
readers, with nothing personal on the page), answered 200 with HTML. A request that says
``Cache-Control: no-cache`` (a browser's hard reload; the bench's "spread" scenarios, which
measure rendering) is rendered afresh and not stored, as HTTP asks of a cache; it costs no
more than any URL that is not stored yet (a new query string), so it opens nothing new.
The CSRF token in the page (the language switcher is a form) is rendered as a placeholder,
and each reader's own token is put in when the page is served, so every reader keeps their
own CSRF cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.deletion import Collector
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404
from django.utils import timezone, translation

from ogp_portal.core.sql_writes import statement_writes
from ogp_portal.core.url_match import resolve

logger = logging.getLogger(__name__)

Scopes = Callable[[dict], Iterable[str]]

# Stands for the reader's CSRF token in a stored page; letters only, so no escaping.
PLACEHOLDER = "ogpPageCacheCsrfTokenPlaceholder"
_PLACEHOLDER_BYTES = PLACEHOLDER.encode()
_HEADERS_KEPT = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options")


def public_page(view: Callable, scopes: Scopes) -> Callable:
    """Mark a URL's view as a public page that may be served from the cache."""
    # A function attribute; PageCacheMiddleware reads it back with getattr.
    view.page_cache_scopes = scopes  # type: ignore[attr-defined]
    return view


def site_scope(kwargs: dict) -> list[str]:
    """Scopes of a page that shows only site-wide content (plans, commitments, members)."""
    return ["site"]


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_SECONDS", 0) > 0


# --- invalidation ---


def _generation_key(scope: str) -> str:
    return f"pagecache:gen:{scope}"


def refresh(scopes: tuple[str, ...]) -> None:
    """Give these scopes new generations now (``changed`` does it now and after the commit)."""
    try:
        cache.set_many({_generation_key(s): uuid.uuid4().hex[:12] for s in scopes}, None)
    except Exception:  # the cache being down must never fail a write
        logger.warning("page cache: could not invalidate %s", scopes, exc_info=True)


def changed(*scopes: str) -> None:
    """What these scopes show has changed: readers get fresh pages from now on."""
    if not scopes or not enabled():
        return
    refresh(scopes)
    if transaction.get_connection().in_atomic_block:
        # Again after the commit: a reader who rendered before it stored an old copy under
        # the generation set just now. (Outside a transaction the write is committed already.)
        transaction.on_commit(partial(refresh, scopes), robust=True)


def valid_until(request: HttpRequest, *moments: dt.datetime | None) -> None:
    """The page changes by itself at the earliest of these future moments (a window opens or
    closes): keep it no longer than that."""
    now = timezone.now()
    future = [m for m in moments if m is not None and m > now]
    if future:
        seconds = max(1, int((min(future) - now).total_seconds()))
        current = getattr(request, "_page_cache_ttl", None)
        ttl = seconds if current is None else min(current, seconds)
        # Carried on the request for PageCacheMiddleware, which reads it with getattr.
        request._page_cache_ttl = ttl  # type: ignore[attr-defined]


# What each content model's rows change, filled in by each app's AppConfig.ready() (core
# names no higher app's model). Models not registered (users, notifications, audit rows,
# sessions, reminder logs) do not appear on public pages: writing them keeps the cache.
ModelScopes = Callable[[Any], Iterable[str]]
_MODEL_SCOPES: dict[type[Model], ModelScopes] = {}


def whole_site(instance: Any) -> tuple[str, ...]:
    """A content row shown on site-wide pages (plans, commitments, members, consultations)."""
    return ("site",)


def no_scopes(instance: Any) -> tuple[str, ...]:
    """A content row whose writer calls ``changed()`` itself (or that no page shows)."""
    return ()


# What a write that cannot name its rows (QuerySet.update, bulk_create, m2m add) changes,
# per model, and the model of each watched table (m2m tables count for their owner).
SITE: tuple[str, ...] = ("site",)
_BULK_SCOPES: dict[type[Model], tuple[str, ...]] = {}
_TABLES: dict[str, type[Model]] = {}


def register_content_models(
    models: Iterable[type[Model]],
    scopes: Mapping[type[Model], ModelScopes] | None = None,
    bulk_scopes: Mapping[type[Model], Iterable[str]] | None = None,
) -> None:
    """These models' rows appear on public pages: each save or delete changes the scopes that
    ``scopes[model](instance)`` names (``"site"`` for a model not in ``scopes``), and each
    bulk write of the model (one that no signal sees) changes ``bulk_scopes[model]`` (the
    whole site, ``"site"``, unless declared). Called from the ready() of the app that owns
    the models."""
    scopes = scopes or {}
    bulk_scopes = bulk_scopes or {}
    for model in models:
        if model.__name__.startswith("Historical"):
            continue  # the version rows of django-simple-history follow their object's save
        _MODEL_SCOPES[model] = scopes.get(model, whole_site)
        _BULK_SCOPES[model] = tuple(bulk_scopes.get(model, SITE))
        _TABLES[model._meta.db_table] = model
        for field in model._meta.local_many_to_many:
            through: Any = field.remote_field.through
            if through is not None and through._meta.auto_created:
                _TABLES.setdefault(through._meta.db_table, model)
        post_save.connect(_on_write, sender=model, dispatch_uid=f"pagecache-save-{model}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"pagecache-delete-{model}")


def registered_models() -> list[type[Model]]:
    """Every content model some app registered (the declared-invalidation test walks them)."""
    return list(_MODEL_SCOPES)


def bulk_scopes_of(model: type[Model]) -> tuple[str, ...]:
    return _BULK_SCOPES.get(model, SITE)


def _on_write(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # fixtures
        return
    changed(*_MODEL_SCOPES.get(sender, whole_site)(instance))


# --- writes that no signal sees ---

# Model.save (the UPDATE or INSERT of one row) and Collector.delete (the DELETE of rows it
# collected) send post_save/post_delete: the statements they run are covered by _on_write.
# Collector.delete's other statements (SET_NULL updates of related rows) are not.
_SAVE_TABLE: Any = Model._save_table  # type: ignore[attr-defined]  # Django's, not in stubs
_SIGNALLED = {
    "INSERT": _SAVE_TABLE.__code__,
    "UPDATE": _SAVE_TABLE.__code__,
    "DELETE": Collector.delete.__code__,
}
_declared: ContextVar[tuple[tuple[frozenset[type[Model]], tuple[str, ...]], ...]] = ContextVar(
    "page_cache_declared", default=()
)


@contextmanager
def declared(models: type[Model] | Iterable[type[Model]], *scopes: str) -> Iterator[None]:
    """The writer knows the rows: bulk writes of ``models`` in this block change exactly
    ``scopes`` (instead of the models' bulk scopes, the whole site). For frequent writes,
    such as the counter every comment or support bumps on its proposal."""
    group = frozenset([models] if isinstance(models, type) else models)
    token = _declared.set((*_declared.get(), (group, scopes)))
    try:
        yield
    finally:
        _declared.reset(token)


def _signalled(verb: str) -> bool:
    code = _SIGNALLED[verb]
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_code is code:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _watch(execute, sql, params, many, context):
    """Execute wrapper: after a write to a registered model's table that no signal covers,
    the scopes declared for it (``declared``, else the model's bulk scopes) change; for a
    WITH statement, those of every table it writes."""
    writes = statement_writes(sql) if isinstance(sql, str) else None
    result = execute(sql, params, many, context)
    if not writes or not enabled():
        return result
    for verb, table in writes:
        model = _TABLES.get(table)
        if model is None:
            continue
        for group, scopes in reversed(_declared.get()):
            if model in group:
                changed(*scopes)
                break
        else:
            if not _signalled(verb.upper()):
                changed(*_BULK_SCOPES.get(model, SITE))
    return result


def watch_writes(sender: Any = None, connection: Any = None, **kwargs: Any) -> None:
    """connection_created receiver (core's ready): every database connection, in every
    thread and process, runs its statements through ``_watch``."""
    if connection is not None and _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


# --- one rendering for a crowd ---

# How long an expired copy stays beside its fresh successor's render: readers arriving while
# one request renders the page again are served it. Only ever served during such a render.
STALE_SECONDS = 30
# The longest render waited for: the lock expires after this, should its holder die.
RENDER_LOCK_SECONDS = 10
# Waiting for another request's render: first look again after 5 ms, then ever less often.
_FIRST_WAIT, _LONGEST_WAIT = 0.005, 0.05

T = TypeVar("T")


@dataclass(frozen=True)
class Rendered(Generic[T]):
    """What a render gives ``serve_or_render``: the answer for the request that rendered,
    what to keep (None: nothing, e.g. an error page or a page with a cookie), for how many
    seconds it is fresh, and, when the moment it goes out of date is known (``valid_until``),
    in how many seconds that is: an expired copy is never served past it."""

    answer: T
    keep: Any = None
    seconds: int = 0
    out_of_date_in: int | None = None


def serve_or_render(
    key: str, render: Callable[[], Rendered[T]], serve: Callable[[Any, str], T]
) -> T:
    """Answer from the copy kept under ``key`` (``serve(kept, "hit")``), else by one render.

    Of the requests that find no fresh copy at the same time only one calls ``render`` (it
    holds ``<key>:render``, taken with an atomic add: SET NX with an expiry in Redis); the
    others are served the expired copy (``serve(kept, "stale")``) if there is one, else they
    wait for the copy the render keeps. If that render keeps nothing (an error, a page not
    to be kept), or takes longer than ``RENDER_LOCK_SECONDS``, they render for themselves.
    ``key`` names everything the answer depends on (``stored_key``), generations included,
    so a write never leaves its readers an older copy, even an expired one.
    """
    try:
        kept = _fetch(key)
    except Exception:
        logger.warning("page cache: unavailable", exc_info=True)
        return render().answer
    if kept is not None and time.time() < kept[0]:
        return serve(kept[1], "hit")
    lock = f"{key}:render"
    token = uuid.uuid4().hex
    if not _try(partial(cache.add, lock, token, RENDER_LOCK_SECONDS)):
        if kept is not None:
            return serve(kept[1], "stale")
        kept = _wait_for(key, lock)
        if kept is not None:
            return serve(kept[1], "hit")
        token = ""  # the other render kept nothing: render without the lock, as before it
    else:
        # A render that finished between our look and our lock has kept a fresh copy.
        again = _try(partial(_fetch, key))
        if again is not None and time.time() < again[0]:
            _release(lock, token)
            return serve(again[1], "hit")
    try:
        rendered = render()
        if rendered.keep is not None and rendered.seconds > 0:
            fresh_until = time.time() + rendered.seconds
            timeout = rendered.seconds + STALE_SECONDS
            if rendered.out_of_date_in is not None:
                timeout = min(timeout, rendered.out_of_date_in)
            _try(partial(cache.set, key, (fresh_until, rendered.keep), timeout))
    finally:
        if token:
            _release(lock, token)
    return rendered.answer


def _release(lock: str, token: str) -> None:
    # Only our own lock: after RENDER_LOCK_SECONDS it may be someone else's. (Between the
    # read and the delete it may expire and be taken: then one more render, nothing worse.)
    if _try(partial(cache.get, lock)) == token:
        _try(partial(cache.delete, lock))


def _fetch(key: str) -> tuple[float, Any] | None:
    kept = cache.get(key)
    # (fresh until, what was kept); anything else is from an older version of this module.
    return kept if isinstance(kept, tuple) and len(kept) == 2 else None


def _try(call: Callable[[], Any]) -> Any:
    """The cache call's answer, or None when the cache fails (it must never fail a read)."""
    try:
        return call()
    except Exception:
        logger.warning("page cache: unavailable", exc_info=True)
        return None


def _wait_for(key: str, lock: str) -> tuple[float, Any] | None:
    """The copy another request is rendering under ``lock``, once kept; None if the lock is
    released (or expires) without one."""
    pause = _FIRST_WAIT
    while True:
        time.sleep(pause)
        pause = min(pause * 2, _LONGEST_WAIT)
        found = _try(partial(cache.get_many, [key, lock])) or {}
        kept = found.get(key)
        if isinstance(kept, tuple) and len(kept) == 2:
            return kept
        if lock not in found:
            return None


# --- serving ---


def csrf(request: HttpRequest) -> dict:
    """Context processor: while a page is rendered for the cache, its CSRF token is the
    placeholder (each reader's own token replaces it when served)."""
    if getattr(request, "_page_cache_rendering", False):
        return {"csrf_token": PLACEHOLDER}
    return {}


def _eligible(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and "no-cache" not in request.headers.get("Cache-Control", "").lower()
    )


def _page_key(request: HttpRequest, scopes: list[str]) -> str | None:
    keys = [_generation_key(s) for s in ["all", *scopes]]
    generations = cache.get_many(keys)
    for key in keys:
        if key not in generations:
            cache.add(key, uuid.uuid4().hex[:12], None)
            generations[key] = cache.get(key)
            if generations[key] is None:
                return None
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    stamp = ".".join(str(generations[k]) for k in keys)
    return f"pagecache:page:{translation.get_language()}:{path}:{stamp}"


def stored_key(request: HttpRequest, scopes: Iterable[str]) -> str | None:
    """The key under which what ``request`` reads is kept while ``scopes`` are unchanged (for
    answers the middleware does not store itself, such as the API's JSON lists); None when
    the cache is off or cannot say. Read it before reading the data, as the middleware does."""
    if not (enabled() and request.method in ("GET", "HEAD")):
        return None
    try:
        return _page_key(request, list(scopes))
    except Exception:
        logger.warning("page cache: unavailable", exc_info=True)
        return None


class PageCacheMiddleware:
    """Serves and stores public pages (after the CSRF middleware, before authentication)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (enabled() and _eligible(request)):
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        scopes = getattr(match.func, "page_cache_scopes", None)
        if scopes is None:
            return self.get_response(request)
        try:
            key = _page_key(request, list(scopes(match.kwargs)))
        except Exception:
            logger.warning("page cache: unavailable", exc_info=True)
            return self.get_response(request)
        if key is None:
            return self.get_response(request)
        return serve_or_render(key, partial(self._render, request), partial(self._serve, request))

    def _serve(self, request: HttpRequest, stored: dict, state: str) -> HttpResponse:
        response = HttpResponse(self._with_token(request, stored["content"]))
        for name, value in stored["headers"]:
            response[name] = value
        response["X-Page-Cache"] = state
        return response

    def _render(self, request: HttpRequest) -> Rendered[HttpResponse]:
        # Carried on the request for the csrf context processor, which reads it with getattr.
        request._page_cache_rendering = True  # type: ignore[attr-defined]
        response = self.get_response(request)
        if getattr(response, "streaming", False) or not hasattr(response, "content"):
            return Rendered(response)
        content = response.content
        rendered = Rendered(response)
        if (
            response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        ):
            # Set by valid_until: the page goes out of date by itself in this many seconds.
            out_of_date_in: int | None = getattr(request, "_page_cache_ttl", None)
            seconds = settings.PAGE_CACHE_SECONDS
            if out_of_date_in is not None:
                seconds = min(seconds, out_of_date_in)
            headers = [(h, response[h]) for h in _HEADERS_KEPT if h in response]
            keep = {"content": content, "headers": headers}
            rendered = Rendered(response, keep, seconds, out_of_date_in)
            response["X-Page-Cache"] = "miss"
        response.content = self._with_token(request, content)
        return rendered

    @staticmethod
    def _with_token(request: HttpRequest, content: bytes) -> bytes:
        if _PLACEHOLDER_BYTES not in content:
            return content
        return content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
