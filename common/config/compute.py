"""[compute]: the compute agent and its virt driver."""
from oslo_config import cfg

GROUP = "compute"

OPTS = [
    cfg.StrOpt("compute_driver", default="fake", choices=["fake", "libvirt"],
               help="Virt driver of this compute agent."),
    cfg.StrOpt("instances_path", default="$state_path/instances",
               help="Directory of instance disks and console logs."),
]
