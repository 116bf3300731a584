"""The agents' work queue: keys to reconcile, de-duplicated, coalesced into batches, and
retried with a per-key exponential back-off when their pass fails (the rate-limited
queue of Kubernetes' sample-controller: add, add_rate_limited, forget, done).

A key waits in the queue at most once. A key added again while a worker handles it is
not handled twice at once: it goes back to the queue when that worker is done, so the
change that re-added it is seen by a later pass. A failed key is never dropped silently:
it comes back after ``base_delay * 2**failures`` seconds (at most ``max_delay``), and
only after ``retries`` failures in a row is it left to the agent's periodic full pass,
with an ERROR in the log.
"""
import heapq
import itertools
import threading
import time
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

import prometheus_client
from oslo_log import log as logging

LOG = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)

DEPTH = prometheus_client.Gauge(
    "strato_workqueue_depth", "Keys waiting in an agent's work queue (due now).", ["name"])
WAITING_RETRIES = prometheus_client.Gauge(
    "strato_workqueue_waiting_retries", "Keys of an agent's work queue waiting for their "
    "back-off to end.", ["name"])
ADDS = prometheus_client.Counter(
    "strato_workqueue_adds_total", "Keys added to an agent's work queue.", ["name"])
RETRIES = prometheus_client.Counter(
    "strato_workqueue_retries_total", "Keys of an agent's work queue retried after a "
    "failed pass.", ["name"])
GIVEN_UP = prometheus_client.Counter(
    "strato_workqueue_given_up_total", "Keys of an agent's work queue left to the periodic "
    "pass after failing every retry.", ["name"])


class WorkQueue(Generic[K]):
    """A thread-safe queue of keys with de-duplication and delayed (back-off) adds."""

    def __init__(self, name: str, base_delay: float = 0.2, max_delay: float = 10.0) -> None:
        self.name = name
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._cond = threading.Condition()
        self._queue: list[K] = []
        self._dirty: set[K] = set()  # queued, or to queue again once done
        self._processing: set[K] = set()
        self._delayed: list[tuple[float, int, K]] = []  # heap of (due, sequence, key)
        self._sequence = itertools.count()
        self._failures: dict[K, int] = {}
        self._shut_down = False

    def __len__(self) -> int:
        with self._cond:
            return len(self._queue)

    def add(self, key: K) -> None:
        with self._cond:
            self._add(key)

    def add_all(self, keys: Iterable[K]) -> None:
        with self._cond:
            for key in keys:
                self._add(key)

    def _add(self, key: K) -> None:
        if self._shut_down or key in self._dirty:
            return
        ADDS.labels(self.name).inc()
        self._dirty.add(key)
        if key not in self._processing:
            self._queue.append(key)
            DEPTH.labels(self.name).set(len(self._queue))
            self._cond.notify_all()

    def add_after(self, key: K, delay: float) -> None:
        """Queue ``key`` once ``delay`` seconds have passed."""
        if delay <= 0:
            self.add(key)
            return
        with self._cond:
            heapq.heappush(self._delayed, (time.monotonic() + delay, next(self._sequence), key))
            WAITING_RETRIES.labels(self.name).set(len(self._delayed))
            self._cond.notify_all()

    def add_rate_limited(self, key: K) -> float:
        """Queue ``key`` again after its back-off; the delay it waits."""
        with self._cond:
            failures = self._failures.get(key, 0)
            self._failures[key] = failures + 1
        delay = min(self.base_delay * 2 ** failures, self.max_delay)
        RETRIES.labels(self.name).inc()
        self.add_after(key, delay)
        return delay

    def requeues(self, key: K) -> int:
        """How many times ``key`` was retried since it last succeeded."""
        with self._cond:
            return self._failures.get(key, 0)

    def forget(self, key: K) -> None:
        """``key`` succeeded (or was given up): its next failure starts the back-off anew."""
        with self._cond:
            self._failures.pop(key, None)

    def get_batch(self, timeout: float | None = None, coalesce: float = 0.0) -> list[K]:
        """Every key due, once one is (waiting at most ``timeout`` seconds, forever if
        None), after ``coalesce`` more seconds for a burst of adds to join; [] on timeout
        or shut-down. The caller must call ``done`` with the batch."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            if not self._wait_until(lambda: bool(self._queue), deadline):
                return []
            if coalesce > 0:
                self._wait_until(lambda: False, time.monotonic() + coalesce)
            self._release_due()
            batch, self._queue = self._queue, []
            self._processing.update(batch)
            self._dirty.difference_update(batch)
            DEPTH.labels(self.name).set(0)
            return batch

    def done(self, batch: Iterable[K]) -> None:
        with self._cond:
            for key in batch:
                self._processing.discard(key)
                if key in self._dirty:
                    self._queue.append(key)
            DEPTH.labels(self.name).set(len(self._queue))
            self._cond.notify_all()

    def shut_down(self) -> None:
        with self._cond:
            self._shut_down = True
            self._cond.notify_all()

    @property
    def shutting_down(self) -> bool:
        return self._shut_down

    def _wait_until(self, ready: Callable[[], bool], deadline: float | None) -> bool:
        """Wait (holding _cond) until ``ready()`` or the deadline or shut-down, moving
        delayed keys in as they come due; whether ready() held."""
        while True:
            next_due = self._release_due()
            if self._shut_down:
                return False
            if ready():
                return True
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                return False
            waits = [t for t in (next_due, deadline) if t is not None]
            self._cond.wait(min(waits) - now if waits else None)

    def _release_due(self) -> float | None:
        """Queue the delayed keys that are due; when the next one is (None if none)."""
        now = time.monotonic()
        while self._delayed and self._delayed[0][0] <= now:
            self._add(heapq.heappop(self._delayed)[2])
        WAITING_RETRIES.labels(self.name).set(len(self._delayed))
        return self._delayed[0][0] if self._delayed else None


Process = Callable[[list[K]], Iterable[K] | None]


class QueueWorker(Generic[K]):
    """A thread that hands each batch of a work queue to ``process``.

    ``process(batch)`` returns the keys that failed (None or nothing when all
    succeeded); if it raises, the whole batch failed. Failed keys are retried with
    back-off, and given up after ``retries`` failures in a row.
    """

    def __init__(self, name: str, process: Process, *, coalesce: float = 0.0,
                 retries: int = 6, base_delay: float = 0.2, max_delay: float = 10.0) -> None:
        self.queue: WorkQueue[K] = WorkQueue(name, base_delay, max_delay)
        self.process = process
        self.coalesce = coalesce
        self.retries = retries
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=f"{self.queue.name}-queue",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.queue.shut_down()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def add(self, key: K) -> None:
        self.queue.add(key)

    def add_all(self, keys: Iterable[K]) -> None:
        self.queue.add_all(keys)

    def add_after(self, key: K, delay: float) -> None:
        self.queue.add_after(key, delay)

    def process_pending(self) -> None:
        """Handle, on the calling thread, the keys due now (if any)."""
        batch = self.queue.get_batch(timeout=0)
        if batch:
            self._handle(batch)

    def _run(self) -> None:
        while not self.queue.shutting_down:
            batch = self.queue.get_batch(coalesce=self.coalesce)
            if batch:
                self._handle(batch)

    def _handle(self, batch: list[K]) -> None:
        try:
            failed = set(self.process(batch) or ())
            error: Exception | None = None
        except Exception as raised:
            failed, error = set(batch), raised
        finally:
            self.queue.done(batch)
        for key in batch:
            if key not in failed:
                self.queue.forget(key)
        if failed:
            self._retry(sorted(failed, key=repr), error)

    def _retry(self, keys: list[K], error: Exception | None) -> None:
        reason = f"{type(error).__name__}: {error}" if error else "see above"
        given_up = [key for key in keys if self.queue.requeues(key) >= self.retries]
        for key in given_up:
            self.queue.forget(key)
            GIVEN_UP.labels(self.queue.name).inc()
        if given_up:
            LOG.error("%s: %s failed %d times, left to the periodic pass (%s)",
                      self.queue.name, given_up, self.retries + 1, reason, exc_info=error)
        delays = [self.queue.add_rate_limited(key) for key in keys if key not in given_up]
        if delays:
            LOG.warning("%s: %d keys failed (%s); again in %.1f s", self.queue.name,
                        len(delays), reason, max(delays))
