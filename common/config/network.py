"""[network]: the network agent and its OVN northbound connection."""
from oslo_config import cfg

GROUP = "network"

OPTS = [
    cfg.StrOpt("ovn_nb_connection", default="tcp:127.0.0.1:6641",
               help="OVSDB remote of the OVN northbound database."),
    cfg.FloatOpt("reconcile_interval", default=60.0, min=1,
                 help="Seconds between two full reconciliations of OVN with the desired "
                      "state."),
]
