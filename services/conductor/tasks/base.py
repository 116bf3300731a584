"""The shape of every conductor flow, as Nova's conductor TaskBase: ``execute`` carries
the flow out; when it raises, ``rollback`` first gives back what the flow had taken
(claims, ports, a migration's allocations) and records why, so a failure midway
leaves nothing held. Errors a flow expects (a resize that finds no host) are handled by
its rollback and end there; any other goes on to the RPC server, which logs it."""
import dataclasses

from oslo_log import log as logging

from common import context
from common.db.api import compute_instances
from services.compute import rpcapi as compute_rpcapi
from services.scheduler import rpcapi as scheduler_rpcapi

LOG = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Services:
    """What flows call: the scheduler, the compute agents, and this conductor's host."""

    scheduler: scheduler_rpcapi.SchedulerAPI
    compute: compute_rpcapi.ComputeAPI
    host: str


class TaskBase:
    # Errors that rollback fully answers (the instance shows a fault): not raised on.
    handled: tuple[type[Exception], ...] = ()

    def __init__(self, ctxt: context.RequestContext, services: Services) -> None:
        self.ctxt = ctxt
        self.services = services

    def execute(self) -> None:
        try:
            self._execute()
        except Exception as error:
            try:
                self.rollback(error)
            except Exception:
                LOG.exception("rolling back %s after %r failed", type(self).__name__, error)
            if not isinstance(error, self.handled):
                raise

    def _execute(self) -> None:
        raise NotImplementedError

    def rollback(self, error: Exception) -> None:
        """Give back what ``_execute`` took before it failed (nothing by default)."""


def destination_away_from(ctxt: context.RequestContext, services: Services, uuid: str,
                          source: str, requested_host: str | None, force: bool) -> str:
    """The host a server moving off ``source`` goes to, claimed for it: the admin's
    ``requested_host`` (through the filters, or past them when ``force``) or the one
    the scheduler picks."""
    spec = {**compute_instances.get_request_spec(ctxt, uuid),
            "ignore_hosts": [source], "force_hosts": None, "requested_host": None}
    if requested_host and force:
        spec["force_hosts"] = [requested_host]
    elif requested_host:
        spec["requested_host"] = requested_host
    selections = services.scheduler.select_destinations(ctxt, spec, [uuid],
                                                         return_alternates=False)
    return selections[0][0]["host"]
