"""[scheduler]: placement of instances on compute hosts."""
from oslo_config import cfg

GROUP = "scheduler"

OPTS = [
    cfg.IntOpt("max_attempts", default=3, min=1,
               help="Hosts tried for one instance before it goes to ERROR."),
]
