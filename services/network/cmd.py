"""strato-network: serve the network agent on topic 'network' (server = this host)."""
from common import launch
from services.conductor import rpcapi as conductor_rpcapi
from services.network import manager, rpcapi


def main() -> None:
    launch.main("strato-network", rpcapi.TOPIC, manager.NetworkManager,
                conductor_rpcapi.heartbeat_reporter,
                agent=True)
