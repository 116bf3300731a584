"""Client side of the conductor's RPC API (used by agents and the api)."""
from common import context, rpc
from common.config import CONF
from common.service import Reporter

TOPIC = "conductor"


class ConductorAPI:
    """Version history: 1.0 - service_heartbeat."""

    VERSION = "1.0"

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, self.VERSION)

    def service_heartbeat(self, ctxt: context.RequestContext, host: str, binary: str,
                          topic: str, version: str) -> None:
        # A heartbeat older than report_interval is worthless: don't wait longer than that
        # (a message sent before the conductor's queue existed is never answered).
        cctxt = self.client.prepare(version="1.0", timeout=max(CONF.report_interval, 2.0))
        cctxt.call(ctxt, "service_heartbeat", host=host, binary=binary, topic=topic,
                   version=version)


def heartbeat_reporter() -> Reporter:
    """How agents record their heartbeat: through the conductor, never the database."""
    api = ConductorAPI()

    def report(host: str, binary: str, topic: str, version: str) -> None:
        api.service_heartbeat(context.get_admin_context(), host, binary, topic, version)

    return report
