"""Client side of the network agent's RPC API."""
from common import context, rpc, topics

TOPIC = topics.NETWORK
# Kinds of resources ``sync`` accepts.
KINDS = ("network", "subnet", "port", "router", "floatingip", "security_group",
         "security_group_rule")


class NetworkAgentAPI:
    """Version history: 1.0 - sync."""

    VERSION = "1.0"

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, self.VERSION)

    def sync(self, ctxt: context.RequestContext, *resources: tuple[str, str]) -> None:
        """Realize in OVN the current state of ``resources`` (kind, id) — after a create,
        an update or a delete alike. A cast: any network agent takes it; the periodic
        reconcile covers a lost one."""
        for kind, _resource_id in resources:
            if kind not in KINDS:
                raise ValueError(f"unknown resource kind {kind}")
        self.client.cast(ctxt, "sync", resources=[list(resource) for resource in resources])
