"""Rendered HTML kept in this process under a key of everything it shows, within a byte
budget (consultations' comment fragments). A key made of the shown values cannot go stale,
so nothing has to forget an entry; the budget, which counts the keys as well as the HTML, is
what bounds memory whatever the entries' sizes (a comment may be 5,000 characters of emoji:
20 KB), and the least recently used entries go first. Cleared when a setting or a watched
file changes (a test overriding the date format, a new .mo in development), as the layout
fragments are."""

import sys
import threading
from collections import OrderedDict
from collections.abc import Hashable

from django.core.signals import setting_changed
from django.utils.autoreload import file_changed


def _bytes(key: Hashable, value: str) -> int:
    """What an entry holds: its HTML and its key with the values in it (a tuple's items
    counted whole, shared ones too: an upper bound). A comment's key (a dozen values, a
    datetime among them) is about as large as its usual HTML."""
    size = sys.getsizeof(value) + sys.getsizeof(key)
    if isinstance(key, tuple):
        size += sum(sys.getsizeof(item) for item in key)
    return size


class KeptFragments:
    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self._items: OrderedDict[Hashable, tuple[str, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        setting_changed.connect(self._forget, weak=False)
        file_changed.connect(self._forget, weak=False)

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: Hashable, value: str) -> None:
        size = _bytes(key, value)
        if size > self.budget:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._items[key] = (value, size)
            self._size += size
            while self._size > self.budget:
                _, (_, dropped) = self._items.popitem(last=False)
                self._size -= dropped

    @property
    def size(self) -> int:
        return self._size

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0

    def _forget(self, **kwargs) -> None:
        self.clear()
