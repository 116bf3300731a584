"""Reports port status to the conductor: ACTIVE when OVN says a switch port is up, DOWN
when it is not. Events arrive one by one on ovsdbapp's event thread; a thread of ours
sends them in batches, so neither the IDL nor a burst of bindings waits on RPC. A batch
that cannot be sent is kept and retried (and the periodic reconcile corrects statuses
anyway)."""

from oslo_log import log as logging

from common import context
from services.network.worker import Worker

LOG = logging.getLogger(__name__)
RETRY_DELAY = 2.0


class StatusReporter(Worker):
    thread_name = "port-status"

    def __init__(self, conductor: object) -> None:
        super().__init__()
        self.conductor = conductor
        self._pending: dict[str, str] = {}

    def port_up(self, port_id: str, up: bool) -> None:
        self.report({port_id: "ACTIVE" if up else "DOWN"})

    def report(self, statuses: dict[str, str]) -> None:
        with self._wakeup:
            self._pending.update(statuses)
            self._wakeup.notify()

    def _work(self) -> None:
        while True:
            with self._wakeup:
                while not self._pending and not self._stopped:
                    self._wakeup.wait()
                if self._stopped:
                    return
                batch, self._pending = self._pending, {}
            try:
                self.conductor.update_port_status(context.get_admin_context(), batch)
            except Exception as error:
                LOG.warning("could not report the status of %d ports (%s); retrying",
                            len(batch), error)
                with self._wakeup:
                    self._pending = {**batch, **self._pending}
                    self._wakeup.wait(RETRY_DELAY)
