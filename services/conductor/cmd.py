"""strato-conductor: serve the conductor on topic 'conductor'."""
from common import launch
from common.db.api import services as services_db
from services.conductor import manager, rpcapi


def main() -> None:
    launch.main("strato-conductor", rpcapi.TOPIC, manager.ConductorManager,
                lambda: services_db.heartbeat)
