"""Rendered HTML kept in this process under a key of everything it shows, within a byte
budget (consultations' comment fragments). A key made of the shown values cannot go stale,
so nothing has to forget an entry; the budget is what bounds memory whatever the entries'
sizes (a comment may be 5,000 characters of emoji: 20 KB), and the least recently used
entries go first. Cleared when a setting or a watched file changes (a test overriding the
date format, a new .mo in development), as the layout fragments are."""

import sys
import threading
from collections import OrderedDict
from collections.abc import Hashable

from django.core.signals import setting_changed
from django.utils.autoreload import file_changed


class KeptFragments:
    def __init__(self, budget_bytes: int) -> None:
        self.budget = budget_bytes
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        setting_changed.connect(self._forget, weak=False)
        file_changed.connect(self._forget, weak=False)

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: str) -> None:
        size = sys.getsizeof(value)
        if size > self.budget:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= sys.getsizeof(old)
            self._items[key] = value
            self._size += size
            while self._size > self.budget:
                _, dropped = self._items.popitem(last=False)
                self._size -= sys.getsizeof(dropped)

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
