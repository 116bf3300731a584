"""[DEFAULT]: identity of this process and liveness timing shared by all services."""
import socket

from oslo_config import cfg

GROUP = "DEFAULT"

OPTS = [
    cfg.StrOpt("host", default=socket.gethostname(), sample_default="<hostname>",
               help="Name of this host as other services address it. The compute agent's "
                    "RPC server listens on topic 'compute' with this server name."),
    cfg.StrOpt("state_path", default="/var/lib/strato",
               help="Directory for Strato's state: the SQLite database, token keys, "
                    "images, instance disks. devstack/stack.sh sets it from "
                    "STRATO_STATE_DIR."),
    cfg.FloatOpt("report_interval", default=10.0, min=0.1,
                 help="Seconds between two heartbeats of a service."),
    cfg.FloatOpt("service_down_time", default=60.0, min=0.5,
                 help="A service whose last heartbeat is older than this many seconds "
                      "is listed as down."),
    cfg.FloatOpt("graceful_shutdown_timeout", default=60.0, min=0,
                 help="Seconds a service waits for in-flight RPCs to finish after SIGTERM."),
]
