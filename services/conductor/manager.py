"""Server side of the conductor's RPC API."""
import oslo_messaging as messaging

from common import context
from common.db.api import services as services_db
from common.manager import Manager


class ConductorManager(Manager):
    target = messaging.Target(version="1.0")

    def service_heartbeat(self, ctxt: context.RequestContext, host: str, binary: str,
                          topic: str, version: str) -> None:
        services_db.heartbeat(host, binary, topic, version)
