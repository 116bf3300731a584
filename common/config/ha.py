"""[ha]: keeping servers alive when a compute host dies.

A server is highly available when its flavor says ``ha:enabled=true``, its image
``hw_ha=true`` or its metadata ``ha=true``; ``ha:priority`` (flavor extra spec or
metadata, an integer, higher first) orders the restarts.
"""
from oslo_config import cfg

GROUP = "ha"

OPTS = [
    cfg.BoolOpt("enabled", default=True,
                help="Whether the conductors watch compute hosts and restart the highly "
                     "available servers of a dead one elsewhere."),
    cfg.FloatOpt("host_down_after", default=180.0, min=1,
                 help="Seconds without a heartbeat after which a compute host is taken "
                      "for dead: fenced, then its highly available servers evacuated. "
                      "Never less than three report_interval."),
    cfg.FloatOpt("max_silent_fraction", default=0.5, min=0, max=1,
                 help="When more than this share of the compute hosts is silent at "
                      "once, none is fenced: a broker, database or conductor outage "
                      "silences them all, and fencing them would stop every server."),
    cfg.FloatOpt("check_interval", default=10.0, min=0.1,
                 help="Seconds between two looks of a conductor at the hosts' "
                      "heartbeats."),
    cfg.StrOpt("fence_command",
               help="Command that powers a dead host off (IPMI, a PDU), run before its "
                    "servers are evacuated; {host} and {host_ip} are replaced. Exit "
                    "status 0 means fenced. Unset: no power fencing."),
    cfg.FloatOpt("fence_timeout", default=60.0, min=1,
                 help="Seconds a fence method may take."),
    cfg.StrOpt("libvirt_fence_uri", default="",
               help="libvirt URI of a dead host's libvirtd ({host}, {host_ip} "
                    "replaced), e.g. qemu+tcp://{host_ip}/system: the guests of the "
                    "servers to evacuate are destroyed there when it still answers. "
                    "Empty: not tried."),
    cfg.BoolOpt("require_fencing", default=False,
                help="Evacuate only when a fence method confirmed the host is off. "
                     "When false, a host no method could reach is evacuated anyway: "
                     "the disks are host-local and the ports move with the servers, "
                     "and its agent destroys the evacuated guests when it is back."),
]
