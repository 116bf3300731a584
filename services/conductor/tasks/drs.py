"""The conductors' DRS pass (``[drs] enabled``): every ``[drs] interval`` the one
conductor holding the ``drs`` lease plans the moves (services.compute.drs) and casts
their live migrations without waiting; a pass while live migrations are still under
way plans nothing, so each pass sees the load the last one left."""
from oslo_log import log as logging

from common.config import CONF
from common.db.api import service_leases
from services.compute import drs
from services.conductor import metrics
from services.conductor.tasks.base import TaskBase

LOG = logging.getLogger(__name__)
LEASE = "drs"


class RebalanceTask(TaskBase):
    def _execute(self) -> None:
        if not CONF.drs.enabled:
            return
        if not service_leases.acquire(self.ctxt, LEASE, self.services.host,
                                      2 * CONF.drs.interval):
            return  # another conductor rebalances
        under_way = drs.moves_in_progress(self.ctxt)
        if under_way:
            LOG.info("DRS: %d live migration(s) under way, no new plan", under_way)
            return
        plan = drs.plan(self.ctxt)
        for zone, spread in plan.spread(plan.before).items():
            metrics.DRS_SPREAD.labels(zone).set(spread)
        if not plan.moves:
            return
        refused = drs.start(self.ctxt, plan.moves)
        for move, reason in refused:
            LOG.warning("DRS: %s not moved from %s to %s: %s", move.uuid, move.source,
                        move.dest, reason)
        started = len(plan.moves) - len(refused)
        LOG.info("DRS: %d live migration(s) started to rebalance the hosts", started)
        metrics.DRS_MOVES.labels("started").inc(started)
        metrics.DRS_MOVES.labels("refused").inc(len(refused))
