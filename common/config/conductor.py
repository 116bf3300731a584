"""[conductor]: database proxy for agents and long-running flows."""
from oslo_config import cfg

GROUP = "conductor"

OPTS = [
    cfg.IntOpt("executor_threads", default=64, min=1,
               help="Threads serving conductor RPCs concurrently."),
    cfg.BoolOpt("allow_resize_to_same_host", default=True,
                help="Let a resize land on the instance's own host (Nova's option of "
                     "the same name, which defaults to False; a single-node cloud "
                     "needs True)."),
    cfg.FloatOpt("scheduler_timeout", default=120.0, min=1,
                 help="Seconds the conductor waits for select_destinations."),
]
