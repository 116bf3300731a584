"""[conductor]: database proxy for agents and long-running flows."""
from oslo_config import cfg

GROUP = "conductor"

OPTS = [
    cfg.IntOpt("executor_threads", default=64, min=1,
               help="Threads serving conductor RPCs concurrently."),
]
