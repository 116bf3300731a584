"""strato-compute: serve the compute agent on topic 'compute' (server = this host)."""
from common import launch
from services.compute import manager, rpcapi
from services.conductor import rpcapi as conductor_rpcapi


def main() -> None:
    launch.main("strato-compute", rpcapi.TOPIC, manager.ComputeManager,
                conductor_rpcapi.heartbeat_reporter)
