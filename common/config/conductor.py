"""[conductor]: database proxy for agents and long-running flows."""
from oslo_config import cfg

GROUP = "conductor"

OPTS = [
    cfg.IntOpt("executor_threads", default=64, min=1,
               help="Threads serving conductor RPCs concurrently."),
    cfg.FloatOpt("scheduler_timeout", default=120.0, min=1,
                 help="Seconds the conductor waits for select_destinations."),
    cfg.FloatOpt("interrupted_task_timeout", default=300.0, min=1,
                 help="Seconds after its last change that an instance still scheduling "
                      "or deleting is taken for a flow whose conductor died (kill -9, a "
                      "lost cast), and the flow is done again. Longer than "
                      "scheduler_timeout: a live build may wait that long."),
    cfg.HostAddressOpt("metrics_host", default="127.0.0.1",
                       help="Address the conductor serves its Prometheus metrics on "
                            "(evacuations, fencing, DRS moves)."),
    cfg.PortOpt("metrics_port", default=0,
                help="Port of the conductor's Prometheus metrics; 0 serves none."),
    cfg.FloatOpt("recover_interval", default=60.0, min=1,
                 help="Seconds between the conductor's sweeps for interrupted flows."),
]
