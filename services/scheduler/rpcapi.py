"""Client side of the scheduler's RPC API (used by the conductor and the api)."""
from common import context, rpc, topics
from common.config import CONF

TOPIC = topics.SCHEDULER


class SchedulerAPI:
    """Version history: 1.0 - select_destinations, sync_host_metadata."""

    VERSION = "1.0"

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, self.VERSION)

    def select_destinations(self, ctxt: context.RequestContext, request_spec: dict,
                            instance_uuids: list[str],
                            return_alternates: bool = True) -> list[list[dict]]:
        """Per instance, [chosen host (resources claimed), alternate, ...]; each entry
        {"host", "node", "provider_uuid", "resources"}. Raises NoValidHost."""
        cctxt = self.client.prepare(timeout=CONF.conductor.scheduler_timeout)
        return cctxt.call(ctxt, "select_destinations", request_spec=request_spec,
                          instance_uuids=list(instance_uuids),
                          return_alternates=return_alternates)

    def sync_host_metadata(self, ctxt: context.RequestContext) -> None:
        """Tell every scheduler that services or aggregates changed (fanout cast)."""
        self.client.prepare(fanout=True).cast(ctxt, "sync_host_metadata")
