"""strato-dns: serve the dns agent on topic 'dns' (server = this host)."""
from common import launch
from services.conductor import rpcapi as conductor_rpcapi
from services.dns import manager, rpcapi


def main() -> None:
    launch.main("strato-dns", rpcapi.TOPIC, manager.DNSManager, conductor_rpcapi.heartbeat_reporter,
                agent=True)
