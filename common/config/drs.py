"""[drs]: load rebalancing of compute hosts by live migration.

A host's load is the larger of its used vCPU and RAM shares (allocations over
capacity, allocation ratios included); the spread is the difference between the most
and the least loaded host of an availability zone. Servers with ``drs=false`` in their
metadata never move.
"""
from oslo_config import cfg

GROUP = "drs"

OPTS = [
    cfg.BoolOpt("enabled", default=False,
                help="Whether a conductor rebalances the compute hosts every interval "
                     "(strato-manage drs plan|apply work either way)."),
    cfg.FloatOpt("interval", default=300.0, min=0.1,
                 help="Seconds between two rebalancing passes."),
    cfg.FloatOpt("threshold", default=0.2, min=0.01, max=1,
                 help="Largest spread of load between the hosts of a zone left alone "
                      "(0.2: 20 points between the most and the least loaded)."),
    cfg.IntOpt("max_moves", default=4, min=1,
               help="Live migrations one pass starts at most; a pass waits for the "
                    "moves of the last one to end."),
]
