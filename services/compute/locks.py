"""One lock per instance, so operations on an instance never interleave (a delete
waits for a build in flight, a power sync for a reboot), dropped when unused."""
import contextlib
import threading
from collections.abc import Iterator


class InstanceLocks:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, tuple[threading.Lock, int]] = {}

    @contextlib.contextmanager
    def hold(self, uuid: str) -> Iterator[None]:
        with self._guard:
            lock, users = self._locks.get(uuid, (threading.Lock(), 0))
            self._locks[uuid] = (lock, users + 1)
        try:
            with lock:
                yield
        finally:
            with self._guard:
                lock, users = self._locks[uuid]
                if users == 1:
                    del self._locks[uuid]
                else:
                    self._locks[uuid] = (lock, users - 1)
