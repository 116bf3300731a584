"""Reports port status to the conductor: ACTIVE when OVN says a switch port is up, DOWN
when it is not. Events arrive one by one on ovsdbapp's event thread; the agent's work
queue sends them in batches, so neither the IDL nor a burst of bindings waits on RPC. A
batch that cannot be sent is retried with back-off (and the periodic reconcile corrects
statuses anyway)."""
import threading
from typing import Any

from common import context, workqueue

COALESCE_SECONDS = 0.02


class StatusReporter:
    def __init__(self, conductor: Any) -> None:
        self.conductor = conductor
        self._lock = threading.Lock()
        self._latest: dict[str, str] = {}  # port id: the status to report
        self.worker: workqueue.QueueWorker[str] = workqueue.QueueWorker(
            "port-status", self._send, coalesce=COALESCE_SECONDS, retries=10, max_delay=5.0)

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()

    def port_up(self, port_id: str, up: bool) -> None:
        self.report({port_id: "ACTIVE" if up else "DOWN"})

    def report(self, statuses: dict[str, str]) -> None:
        with self._lock:
            self._latest.update(statuses)
        self.worker.add_all(statuses)

    def _send(self, port_ids: list[str]) -> None:
        with self._lock:
            batch = {port_id: self._latest[port_id] for port_id in port_ids}
        self.conductor.update_port_status(context.get_admin_context(), batch)
        with self._lock:
            for port_id, status in batch.items():
                if self._latest.get(port_id) == status:
                    del self._latest[port_id]
