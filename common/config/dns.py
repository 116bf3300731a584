"""[dns]: the DNS agent and its backends."""
from oslo_config import cfg

GROUP = "dns"

OPTS = [
    cfg.HostAddressOpt("listen_address", default="127.0.0.1",
                       help="Address of the built-in authoritative DNS server."),
    cfg.PortOpt("listen_port", default=5354,
                help="UDP and TCP port of the built-in authoritative DNS server."),
    cfg.FloatOpt("reconcile_interval", default=60.0, min=1,
                 help="Seconds between two full reconciliations of the backends."),
]
