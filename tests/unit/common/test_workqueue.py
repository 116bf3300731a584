"""The agents' work queue: de-duplication, no key handled twice at once, back-off per
key, giving up after the retries, metrics, and the worker thread."""
import threading
import time
import unittest

import prometheus_client

from common import workqueue


def metric(name: str, queue: str) -> float:
    value = prometheus_client.REGISTRY.get_sample_value(name, {"name": queue})
    return value or 0.0


class WorkQueueTest(unittest.TestCase):
    def test_a_waiting_key_is_queued_once(self) -> None:
        queue = workqueue.WorkQueue("t-dedup")
        queue.add_all(["a", "b", "a"])
        queue.add("b")
        self.assertEqual(2, len(queue))
        self.assertEqual(["a", "b"], queue.get_batch(timeout=0))
        self.assertEqual([], queue.get_batch(timeout=0))

    def test_a_key_added_while_handled_comes_back_after_done(self) -> None:
        queue = workqueue.WorkQueue("t-processing")
        queue.add("a")
        batch = queue.get_batch(timeout=0)
        queue.add("a")  # changed again while a worker handles it
        self.assertEqual([], queue.get_batch(timeout=0), "never handled twice at once")
        queue.done(batch)
        self.assertEqual(["a"], queue.get_batch(timeout=0))

    def test_back_off_doubles_per_failure_up_to_the_maximum(self) -> None:
        queue = workqueue.WorkQueue("t-backoff", base_delay=0.01, max_delay=0.04)
        delays = [queue.add_rate_limited("a") for _ in range(4)]
        self.assertEqual([0.01, 0.02, 0.04, 0.04], delays)
        self.assertEqual(4, queue.requeues("a"))
        queue.forget("a")
        self.assertEqual(0, queue.requeues("a"))
        self.assertEqual(0.01, queue.add_rate_limited("a"))

    def test_a_delayed_key_is_due_only_after_its_delay(self) -> None:
        queue = workqueue.WorkQueue("t-delay")
        queue.add_after("a", 0.2)
        self.assertEqual([], queue.get_batch(timeout=0))
        started = time.monotonic()
        self.assertEqual(["a"], queue.get_batch(timeout=5))
        self.assertGreaterEqual(time.monotonic() - started, 0.15)

    def test_coalescing_takes_a_burst_in_one_batch(self) -> None:
        queue = workqueue.WorkQueue("t-coalesce")
        queue.add("a")
        threading.Timer(0.05, queue.add, ("b",)).start()
        self.assertEqual(["a", "b"], queue.get_batch(timeout=1, coalesce=0.3))

    def test_shut_down_wakes_a_waiting_worker(self) -> None:
        queue = workqueue.WorkQueue("t-shutdown")
        threading.Timer(0.05, queue.shut_down).start()
        self.assertEqual([], queue.get_batch())
        queue.add("a")
        self.assertEqual(0, len(queue), "nothing is queued once shut down")

    def test_depth_is_a_metric(self) -> None:
        queue = workqueue.WorkQueue("t-depth")
        queue.add_all(["a", "b", "c"])
        self.assertEqual(3, metric("strato_workqueue_depth", "t-depth"))
        queue.done(queue.get_batch(timeout=0))
        self.assertEqual(0, metric("strato_workqueue_depth", "t-depth"))


class QueueWorkerTest(unittest.TestCase):
    def make(self, name: str, process: workqueue.Process, retries: int = 6
             ) -> workqueue.QueueWorker:
        worker: workqueue.QueueWorker = workqueue.QueueWorker(
            name, process, retries=retries, base_delay=0.01, max_delay=0.02)
        worker.start()
        self.addCleanup(worker.stop)
        return worker

    def wait(self, predicate, what: str) -> None:
        deadline = time.monotonic() + 5
        while not predicate():
            if time.monotonic() > deadline:
                self.fail(f"timed out waiting for {what}")
            time.sleep(0.01)

    def test_a_failed_key_is_retried_until_it_succeeds(self) -> None:
        calls: list[list[str]] = []

        def fails_twice(batch: list[str]) -> None:
            calls.append(batch)
            if len(calls) <= 2:
                raise RuntimeError("conductor busy")

        worker = self.make("t-retry", fails_twice)
        worker.add("a")
        self.wait(lambda: len(calls) == 3, "the third attempt")
        self.assertEqual([["a"]] * 3, calls)
        self.assertEqual(2, metric("strato_workqueue_retries_total", "t-retry"))
        self.wait(lambda: worker.queue.requeues("a") == 0, "success to reset the back-off")

    def test_only_the_keys_reported_failed_are_retried(self) -> None:
        calls: list[list[str]] = []

        def b_fails_once(batch: list[str]) -> list[str]:
            calls.append(batch)
            return ["b"] if len(calls) == 1 else []

        worker = self.make("t-partial", b_fails_once)
        worker.add_all(["a", "b"])
        self.wait(lambda: len(calls) == 2, "the retry")
        self.assertEqual([["a", "b"], ["b"]], calls)

    def test_a_key_failing_every_retry_is_given_up(self) -> None:
        calls: list[list[str]] = []

        def always_fails(batch: list[str]) -> None:
            calls.append(batch)
            raise RuntimeError("broken")

        worker = self.make("t-give-up", always_fails, retries=2)
        with self.assertLogs("common.workqueue", "ERROR") as logs:
            worker.add("a")
            self.wait(lambda: metric("strato_workqueue_given_up_total", "t-give-up") == 1,
                      "giving up")
        time.sleep(0.1)
        self.assertEqual(3, len(calls), "the first attempt and two retries")
        self.assertIn("left to the periodic pass", logs.output[0])
        self.assertEqual(0, worker.queue.requeues("a"))

    def test_process_pending_runs_on_the_caller(self) -> None:
        seen: list[tuple[str, list[str]]] = []
        worker: workqueue.QueueWorker = workqueue.QueueWorker(
            "t-inline", lambda batch: seen.append((threading.current_thread().name, batch)))
        worker.add_all(["a", "b"])
        worker.process_pending()
        self.assertEqual([(threading.current_thread().name, ["a", "b"])], seen)
