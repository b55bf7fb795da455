"""Numbered pages over lists that may hold 200,000 rows, at the cost of a 200-row list.

Django's Paginator counts every row (COUNT(*) on each page view) and reaches page N with
OFFSET, which reads and throws away all rows before it: both grow with the list. Here:

* up to COUNT_EXACT_UP_TO rows, the count is exact and pages use OFFSET (cheap at that size);
* above it, a *page index* is built with one index-only scan and cached for INDEX_TTL
  seconds: the total and the sort key of every ANCHOR_EVERY-th row. Page N starts from the
  nearest anchor (a keyset condition the index seeks to) and skips fewer than ANCHOR_EVERY
  rows, reading only their keys, so the first, a deep and the last page cost the same;
  while the index is stored, it also tells a long list from a short one (no count);
* a list that cannot be indexed cheaply (a text search) shows its first COUNT_EXACT_UP_TO
  matches ("1,000 or more"): refine the search to see others.

Rows added at the end of the order (new comments) are counted exactly at every request; rows
added at the start (new proposals, newest first) shift deep pages by at most the proposals
submitted during the last INDEX_TTL seconds, and are counted, once the index is rebuilt.
Each process keeps the indexes it has read or built for KEPT_FOR seconds (never beyond the
cache's copy, INDEX_TTL after the build): asking the cache on every page view cost about
0.35 ms of a 5 ms thread page, for an answer that does not change before then unless the
cache loses it.

The ordering is two keys, a field and the primary key, in the same direction:
("-submitted_at", "-pk") or ("created_at", "pk").
"""

import hashlib
import logging
import math
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.db.models import F, Q, QuerySet, Window
from django.db.models.functions import RowNumber

logger = logging.getLogger(__name__)

COUNT_EXACT_UP_TO = 1000
ANCHOR_EVERY = 1000
INDEX_TTL = 120
# The longest wait for another request's build of a page index (its lock's lifetime).
BUILD_LOCK_SECONDS = 10
# How long a reader waits for another's build before building for itself: a build takes
# 0.15-0.25 s; one that died with its process must not hold every reader of the list.
BUILD_WAIT_SECONDS = 2.0


@dataclass(frozen=True)
class PageIndex:
    anchors: tuple  # (field value, pk) of rows 0, ANCHOR_EVERY, 2 * ANCHOR_EVERY, ...
    step: int
    # Rows from the last anchor on, when the index was built: kept for lists in descending
    # order only. Their new rows arrive at the start, before the anchors, so the tail (the
    # oldest rows) is what it was; counting it again on each request cost up to 180 ms on a
    # filtered ledger of 190,000 inputs. Ascending lists count theirs at every request.
    tail: int | None = None
    # When its build started (time.time()): a process keeps its copy until the cache's expires.
    # Not part of what the index says: two builds of an unchanged list are equal.
    built_at: float = field(default=0.0, compare=False)


class BoundedPaginator:
    """Paginator-like: `.count`, `.num_pages`, `.count_is_capped`, `get_page(number)`."""

    def __init__(
        self,
        queryset: QuerySet | Callable[[], QuerySet],
        per_page: int,
        *,
        order: tuple,
        indexable=True,
        index_key: str | None = None,
        read: Callable[[QuerySet], QuerySet] | None = None,
    ):
        """`index_key`, when given, names the list for its page index in place of its SQL
        (which costs a compilation to write): it must tell apart every list the caller
        builds, that is hold each filter's value. `read`, when given, turns the page's
        queryset into what the page reads (`rows.values_list(...)`): applied to the page
        alone, so the counts, the index and the keys skipped over read the key columns
        without its joins (with them PostgreSQL no longer scans the index alone). A list
        written out in SQL overrides the reads of every page view instead (_read_page, and
        for a thread _count_up_to and _count_from: consultations/thread_rows.py,
        proposal_list_sql.py)."""
        self.index_key = index_key
        self.read = read
        self.per_page = per_page
        self.order = order
        self.field = order[0].lstrip("-")
        self.descending = order[0].startswith("-")
        self._queryset = queryset
        self.indexable = indexable
        self.count_is_capped = False
        self.index: PageIndex | None = None
        self._count_rows()

    @cached_property
    def queryset(self) -> QuerySet:
        """The list, in its order. Given as a function that builds it, it is built only when
        read: the thread's page views read in written-out SQL (thread_rows.ThreadPaginator),
        and building its filtered queryset cost each of them about 0.1 ms."""
        source = self._queryset
        return (source() if callable(source) else source).order_by(*self.order)

    # --- counting -------------------------------------------------------------------------

    def _count_rows(self) -> None:
        self.count = self._count()
        self.num_pages = max(1, math.ceil(self.count / self.per_page))

    def _count(self) -> int:
        # A list whose page index is stored had more than COUNT_EXACT_UP_TO rows when it was
        # built (at most INDEX_TTL seconds ago): it is counted from the index, without the
        # capped count that reads COUNT_EXACT_UP_TO + 1 rows to tell a long list from a short one.
        self.index = self._look_up_index()
        if self.index is None:
            seen = self._count_up_to(COUNT_EXACT_UP_TO + 1)
            if seen <= COUNT_EXACT_UP_TO:
                return seen
            if not self.indexable:
                self.count_is_capped = True
                return COUNT_EXACT_UP_TO
            self.index = self._index_now()
        return self._count_by_index(self.index)

    def _look_up_index(self) -> PageIndex | None:
        """The list's stored page index (this process's copy, else the cache's), if any."""
        return _stored_index(self._cache_key()) if self.indexable else None

    def _index_now(self) -> PageIndex:
        """The list's page index, built now by this reader or another (it was missing)."""
        return _built_once(self._cache_key(), self._build_index)

    def _count_by_index(self, index: PageIndex) -> int:
        # Rows appended after the last anchor since the index was built count exactly.
        last = len(index.anchors) - 1
        tail = index.tail
        if tail is None:
            tail = self._count_from(index.anchors[last])
        return last * index.step + tail

    # The reads of every page view, which a list written out in SQL (consultations/
    # thread_rows.py, proposal_list_sql.py) overrides; building the index and finding a row's
    # page stay ORM reads.

    def _count_up_to(self, limit: int) -> int:
        """The list's rows, counted up to `limit`."""
        return self.queryset.order_by()[:limit].count()

    def _count_from(self, anchor) -> int:
        """The rows at or after `anchor`."""
        return self._from(anchor).order_by().count()

    def _cache_key(self) -> str:
        if self.index_key is not None:
            return f"page-index:v4:{self.index_key}:{','.join(self.order)}:{ANCHOR_EVERY}"
        # The SQL of the two key columns alone: it holds every filter and the order (all the
        # index depends on) and compiles in a fraction of the time of the rows' query with
        # its joins and every column.
        keys = self.queryset.values_list(self.field, "pk")
        sql, params = keys.query.sql_with_params()
        digest = hashlib.sha256(f"{sql}|{params!r}|{ANCHOR_EVERY}".encode()).hexdigest()
        return f"page-index:v4:{digest[:40]}"

    def _build_index(self) -> PageIndex:
        """One ordered pass over the index (only the two key columns, so PostgreSQL reads
        the index alone): the key of every ANCHOR_EVERY-th row."""
        step = ANCHOR_EVERY
        started = time.time()
        numbered = self.queryset.values(self.field, "pk").annotate(
            row=Window(RowNumber(), order_by=[_expr(name) for name in self.order])
        )
        anchors = tuple(
            numbered.annotate(slot=(F("row") - 1) % step)
            .filter(slot=0)
            .values_list(self.field, "pk")
        )
        anchors = anchors or ((None, None),)
        tail = None
        if self.descending:
            tail = self._from(anchors[-1]).order_by().count()
        return PageIndex(anchors=anchors, step=step, tail=tail, built_at=started)

    # --- reading a page --------------------------------------------------------------------

    def _from(self, anchor) -> QuerySet:
        """The rows at or after `anchor` in the list's order (a range the index seeks to)."""
        value, pk = anchor
        if value is None:
            return self.queryset
        if self.descending:
            return self.queryset.filter(**{f"{self.field}__lte": value}).filter(
                Q(**{f"{self.field}__lt": value}) | Q(pk__lte=pk)
            )
        return self.queryset.filter(**{f"{self.field}__gte": value}).filter(
            Q(**{f"{self.field}__gt": value}) | Q(pk__gte=pk)
        )

    def validate_number(self, number) -> int:
        if number == "last":
            return self.num_pages
        try:
            number = int(number)
        except (TypeError, ValueError):
            return 1
        return min(max(number, 1), self.num_pages)

    def get_page(self, number) -> "BoundedPage":
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        anchor = None
        if self.index is not None and offset >= self.index.step:
            slot = min(offset // self.index.step, len(self.index.anchors) - 1)
            anchor = self.index.anchors[slot]
            offset -= slot * self.index.step
        # One row more than the page tells whether a next page exists, whatever the count.
        object_list = self._read_page(anchor, offset, self.per_page + 1)
        has_next = len(object_list) > self.per_page
        return BoundedPage(object_list[: self.per_page], number, self, has_next)

    def _read_page(self, anchor, offset: int, limit: int) -> list:
        """`limit` rows from `offset` on, counted from `anchor` (a row's sort key from the
        page index, or None: the list's start)."""
        rows = self.queryset if anchor is None else self._from(anchor)
        end = offset + limit
        if offset and not self.queryset.query.distinct:
            # Skip over the key columns alone (an index-only scan), then read the page's
            # rows with their joins: OFFSET on the full rows reads and joins every row it
            # throws away (up to ANCHOR_EVERY of them). One statement all the same. (A
            # DISTINCT list would select its order columns too, which `pk IN` refuses.)
            keys = rows.values("pk")[offset:end]
            rows = self.queryset.filter(pk__in=keys)
            offset, end = 0, limit
        if self.read is not None:
            rows = self.read(rows)
        return list(rows[offset:end])

    def position_of(self, value, pk) -> int:
        """How many rows come before the row with this key (for "which page is it on")."""
        if self.index is None:
            before = self._before(value, pk)
            return before.order_by().count()
        anchors = self.index.anchors
        slot = 0
        for i, anchor in enumerate(anchors):
            if anchor[0] is not None and not self._is_before(value, pk, anchor):
                slot = i
        if slot == 0:
            return self._before(value, pk).order_by().count()
        between = self._from(anchors[slot]).filter(self._before_q(value, pk))
        return slot * self.index.step + between.order_by().count()

    def _is_before(self, value, pk, anchor) -> bool:
        key, anchor_key = (value, pk), tuple(anchor)
        return key > anchor_key if self.descending else key < anchor_key

    def _before_q(self, value, pk) -> Q:
        return _before_q(self.field, self.descending, value, pk)

    def _before(self, value, pk) -> QuerySet:
        return self.queryset.filter(self._before_q(value, pk))


# The indexes this process has read or built, by key: (until when, index). Bounded: past
# KEPT_INDEXES_MAX keys (lists of many filters), it starts again.
_kept: dict[str, tuple[float, PageIndex]] = {}
KEPT_INDEXES_MAX = 1000


# How long a process goes without asking the cache again: should the cache lose an index
# early (evicted, or the server restarted), the processes that kept a copy and those that
# built a new one page a newest-first list differently for at most this long.
KEPT_FOR = 10


def _keep(key: str, index: PageIndex) -> None:
    """Keep this process's copy of a stored index for KEPT_FOR seconds, and never beyond the
    cache's copy: INDEX_TTL after its build (nor after now, on a clock behind the builder's)."""
    now = time.time()
    until = min(min(index.built_at, now) + INDEX_TTL, now + KEPT_FOR)
    if until <= now:
        return
    if len(_kept) >= KEPT_INDEXES_MAX:
        _kept.clear()
    _kept[key] = (until, index)


def forget_kept_indexes() -> None:
    """Drop this process's copies (tests: the cache is emptied between them, and a
    rolled-back test hands the same list's key to the next one)."""
    _kept.clear()


def _stored_index(key: str) -> PageIndex | None:
    kept = _kept.get(key)
    if kept is not None:
        if time.time() < kept[0]:
            return kept[1]
        _kept.pop(key, None)
    # Every indexable list asks, short ones too: the cache being down must not fail a page.
    try:
        index = cache.get(key)
    except Exception:
        logger.warning("page index: cache unavailable", exc_info=True)
        return None
    if isinstance(index, PageIndex):
        _keep(key, index)
    return index


def _built_once(key: str, build: Callable[[], PageIndex]) -> PageIndex:
    """The page index under `key`, built by one of the requests that find it missing at once.

    Building reads the whole list (150-250 ms of PostgreSQL for 190,000 proposals): 20
    readers arriving when it has expired (every INDEX_TTL seconds, and at the start of the
    bench's spread scenario) each built it, 3-5 s of PostgreSQL CPU at once. The first takes
    a short lock (an atomic add) and builds; the others wait for what it stores, or build for
    themselves if it stores nothing before its lock goes (an error, the cache down) or within
    BUILD_WAIT_SECONDS."""
    lock, token = f"{key}:build", uuid.uuid4().hex
    try:
        mine = cache.add(lock, token, BUILD_LOCK_SECONDS)
    except Exception:
        logger.warning("page index: cache unavailable", exc_info=True)
        mine = True
    if not mine:
        pause, give_up = 0.005, time.monotonic() + BUILD_WAIT_SECONDS
        while time.monotonic() < give_up:
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
            try:
                found = cache.get_many([key, lock])
            except Exception:
                logger.warning("page index: cache unavailable", exc_info=True)
                break
            if isinstance(found.get(key), PageIndex):
                _keep(key, found[key])
                return found[key]
            if lock not in found:
                break
    try:
        index = build()
        _store_index(key, index)
    finally:
        if mine:
            try:
                if cache.get(lock) == token:  # not another's, taken after mine expired
                    cache.delete(lock)
            except Exception:
                logger.warning("page index: cache unavailable", exc_info=True)
    return index


def _store_index(key: str, index: PageIndex) -> None:
    _keep(key, index)
    try:
        cache.set(key, index, INDEX_TTL)
    except Exception:
        logger.warning("page index: cache unavailable", exc_info=True)


def _before_q(field: str, descending: bool, value, pk) -> Q:
    if descending:
        return Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk})
    return Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk})


def _expr(name: str):
    return F(name[1:]).desc() if name.startswith("-") else F(name).asc()


class BoundedPage:
    """What templates/includes/pagination.html and the lists read from a page."""

    def __init__(self, object_list: list, number: int, paginator: BoundedPaginator, has_next):
        self.object_list = object_list
        self.number = number
        self.paginator = paginator
        self._has_next = has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0
