"""The launcher's periodic tasks and the Service life cycle."""
import threading

from common import context
from common.manager import Manager, periodic
from common.service import PeriodicRunner, Service
from tests.unit import base


class Counter:
    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail
        self.contexts: list[context.RequestContext] = []

    def __call__(self, ctxt: context.RequestContext) -> None:
        self.calls += 1
        self.contexts.append(ctxt)
        if self.fail:
            raise RuntimeError("task failed on purpose")


class PeriodicRunnerTest(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.runner = PeriodicRunner()
        self.addCleanup(self.runner.stop)

    def test_runs_tasks_repeatedly_with_an_admin_context(self) -> None:
        task = Counter()
        self.runner.add(task, 0.01)
        self.runner.start()
        self.wait_until(lambda: task.calls >= 3, message="task did not run 3 times")
        self.assertTrue(task.contexts[0].is_admin)

    def test_stop_ends_every_thread(self) -> None:
        tasks = [Counter(), Counter()]
        for task in tasks:
            self.runner.add(task, 0.01)
        self.runner.start()
        self.wait_until(lambda: all(t.calls for t in tasks))
        self.runner.stop()
        calls = [t.calls for t in tasks]
        threading.Event().wait(0.1)
        self.assertEqual(calls, [t.calls for t in tasks])
        self.assertFalse(any(t.is_alive() for t in self.runner._threads))

    def test_not_run_immediately_waits_one_spacing(self) -> None:
        task = Counter()
        self.runner.add(task, 30, run_immediately=False)
        self.runner.start()
        threading.Event().wait(0.1)
        self.assertEqual(0, task.calls)

    def test_a_failing_task_keeps_running(self) -> None:
        task = Counter(fail=True)
        self.runner.add(task, 0.01)
        self.runner.start()
        self.wait_until(lambda: task.calls >= 2, message="failing task was not retried")

    def test_spacing_may_be_a_callable(self) -> None:
        task = Counter()
        spacing = [30.0]
        self.runner.add(task, lambda: spacing[0])
        self.runner.start()
        self.wait_until(lambda: task.calls == 1)
        threading.Event().wait(0.1)
        self.assertEqual(1, task.calls)


class TickManager(Manager):
    def __init__(self, host: str) -> None:
        super().__init__(host)
        self.ticks = 0
        self.events: list[str] = []

    def init_host(self) -> None:
        self.events.append("init_host")

    def cleanup_host(self) -> None:
        self.events.append("cleanup_host")

    def reachable_again(self, _ctxt: context.RequestContext) -> None:
        self.events.append("reachable_again")

    @periodic(0.01)
    def tick(self, _ctxt: context.RequestContext) -> None:
        self.ticks += 1


class ServiceTest(base.TestCase):
    def test_periodic_tasks_are_found_on_the_manager(self) -> None:
        manager = TickManager("unit-host")
        self.assertEqual([(manager.tick, 0.01, False)], manager.periodic_tasks())

    def test_start_runs_manager_periodics_and_stop_cleans_up(self) -> None:
        manager = TickManager("unit-host")
        service = Service("strato-tick", "tick", manager, lambda *args: None)
        self.assertEqual("unit-host", service.host)
        service.start()
        self.wait_until(lambda: manager.ticks >= 2, message="manager periodic did not run")
        service.stop()
        self.assertEqual(["init_host", "cleanup_host"], manager.events)

    def test_a_heartbeat_after_a_long_silence_tells_the_manager(self) -> None:
        self.flags(service_down_time=0.5)
        manager = TickManager("unit-host")
        service = Service("strato-tick", "tick", manager, lambda *args: None)
        ctxt = context.get_admin_context()
        service._heartbeat(ctxt)
        service._heartbeat(ctxt)
        self.assertEqual([], manager.events, "heartbeats in a row are no outage")
        threading.Event().wait(0.6)
        service._heartbeat(ctxt)
        self.assertEqual(["reachable_again"], manager.events)

    def test_a_failed_heartbeat_is_not_a_report(self) -> None:
        self.flags(service_down_time=0.5)
        manager = TickManager("unit-host")
        broker_down = [False]

        def report(*_args: object) -> None:
            if broker_down[0]:
                raise RuntimeError("broker unreachable")

        service = Service("strato-tick", "tick", manager, report)
        ctxt = context.get_admin_context()
        service._heartbeat(ctxt)
        broker_down[0] = True
        threading.Event().wait(0.3)
        self.assertRaises(RuntimeError, service._heartbeat, ctxt)
        threading.Event().wait(0.3)
        broker_down[0] = False
        service._heartbeat(ctxt)
        self.assertEqual(["reachable_again"], manager.events)
