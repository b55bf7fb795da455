"""`resolve(path)` for middleware that must know the view before Django resolves the path.

The page cache (core/page_cache.py) resolves a public page's path to find whether its view
is cached, and Django resolves the same path again right after. Resolving walks the URL
patterns in order, into every include mounted at "" on the way: about two dozen pattern
lookups for a path near the end, on every anonymous request. What a path resolves to only
changes with the URL configuration, so the answer is kept per process, for the paths seen
last, keyed on the resolver itself: a new URL configuration (a test's override, Django's
clear_url_caches) has a new resolver and starts afresh.
"""

from collections import OrderedDict
from threading import Lock

from django.urls import ResolverMatch, get_resolver, get_urlconf

# Paths kept, and the longest path kept (a path is a few dozen characters; no client can
# fill the memory with long or countless ones).
KEPT = 2048
LONGEST = 200

_kept: OrderedDict[tuple[object, str], ResolverMatch] = OrderedDict()
_lock = Lock()


def resolve(path: str) -> ResolverMatch:
    """django.urls.resolve(path), kept for the paths seen last; raises Resolver404 alike.
    The match is shared: read it, never change it."""
    resolver = get_resolver(get_urlconf())
    key = (resolver, path)
    with _lock:
        match = _kept.get(key)
        if match is not None:
            _kept.move_to_end(key)
            return match
    match = resolver.resolve(path)
    if len(path) <= LONGEST:
        with _lock:
            _kept[key] = match
            while len(_kept) > KEPT:
                _kept.popitem(last=False)
    return match
