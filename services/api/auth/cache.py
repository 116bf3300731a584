"""A small in-process cache whose entries expire after a time to live."""
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any


class TTLCache:
    """Maps keys to values for ``ttl()`` seconds; ``get_or_load`` fills a miss."""

    def __init__(self, ttl: Callable[[], float], max_size: int = 100_000) -> None:
        self.ttl = ttl
        self.max_size = max_size
        self._lock = threading.Lock()
        self._entries: dict[Hashable, tuple[float, Any]] = {}

    def get_or_load(self, key: Hashable, load: Callable[[], Any],
                    refresh: bool = False) -> Any:
        """The cached value, or ``load()`` stored for next time (always with ``refresh``)."""
        entry = self._entries.get(key)
        now = time.monotonic()
        if entry is not None and entry[0] > now and not refresh:
            return entry[1]
        value = load()
        with self._lock:
            if len(self._entries) >= self.max_size:
                self._entries.clear()  # crude, but bounded; a full cache is a rare event
            self._entries[key] = (now + self.ttl(), value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
