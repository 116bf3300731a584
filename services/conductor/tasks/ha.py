"""The HA monitor: a dead compute host is fenced, then its highly available servers are
evacuated; the others keep their state, with a fault saying the host is down.

Every conductor runs it every ``[ha] check_interval``. A host silent for
``[ha] host_down_after`` is fenced by the one conductor whose insert of its fence row
wins (common.db.api.host_fences); each server is taken by begin_action('ha-evacuate'),
a compare-and-swap on its task state, so two conductors never evacuate one server
twice. A fence is lifted when the host's agent is heard from again: by then it has
destroyed the guests evacuated away from it (services.compute.reconcile).
"""
import dataclasses
import datetime

from oslo_log import log as logging

from common import exceptions, notifications
from common.config import CONF
from common.db.api import compute_hosts, compute_instances, host_fences
from common.db.types import utcnow
from services.compute import ha
from services.compute.drain import servers_on
from services.conductor import fencing, metrics
from services.conductor.tasks import PUBLISHER
from services.conductor.tasks.base import TaskBase
from services.conductor.tasks.evacuate import EvacuateTask

LOG = logging.getLogger(__name__)


class HostMonitorTask(TaskBase):
    def _execute(self) -> None:
        if not CONF.ha.enabled:
            return
        fences = host_fences.list_fences(self.ctxt)
        now = utcnow()
        for host, service in compute_hosts.compute_services(self.ctxt).items():
            fence = fences.get(host)
            if fence is not None and service.last_seen_at is not None \
                    and service.last_seen_at > fence.fenced_at:
                if host_fences.lift(self.ctxt, host, fence.fenced_at):
                    LOG.info("compute host %s is back: its fence is lifted", host)
                    metrics.UNFENCES.inc()
                continue
            if fence is None and self._silent(service.last_seen_at, now):
                fence = self._fence(host)
            if fence is not None and self._may_evacuate(fence):
                self._evacuate(host)

    @staticmethod
    def _silent(last_seen_at: datetime.datetime | None, now: datetime.datetime) -> bool:
        if last_seen_at is None:
            return False  # never seen: not a host that died
        return (now - last_seen_at).total_seconds() > CONF.ha.host_down_after

    def _fence(self, host: str) -> host_fences.FenceRecord | None:
        claimed = host_fences.claim(self.ctxt, host, self.services.host)
        if claimed is None:
            return None  # another conductor fences it
        instances = servers_on(self.ctxt, host)
        to_evacuate = [i.uuid for i in ha.restart_order(instances)]
        host_ip = compute_hosts.host_ips(self.ctxt).get(host)
        outcome = _run_fence_methods(host, host_ip, to_evacuate)
        LOG.warning("compute host %s silent for over %ss: fenced (%s)", host,
                    CONF.ha.host_down_after, outcome)
        host_fences.record_outcome(self.ctxt, host, outcome)
        metrics.FENCES.labels("unconfirmed" if outcome.startswith("unconfirmed")
                              else "fenced").inc()
        notifications.notify(self.ctxt, f"{PUBLISHER}:{self.services.host}",
                             "compute.host.fenced", {"host": host, "outcome": outcome,
                                                     "servers": len(instances),
                                                     "to_evacuate": len(to_evacuate)})
        for instance in instances:
            if instance.uuid not in to_evacuate:
                compute_instances.add_fault(
                    self.ctxt, instance.uuid, 500,
                    f"Compute host {host} is down; the server is not highly available "
                    "and stays as it was until the host is back or it is evacuated.",
                    outcome, host)
        return dataclasses.replace(claimed, outcome=outcome)

    @staticmethod
    def _may_evacuate(fence: host_fences.FenceRecord) -> bool:
        return not (CONF.ha.require_fencing and fence.outcome.startswith("unconfirmed"))

    def _evacuate(self, host: str) -> None:
        for instance in ha.restart_order(servers_on(self.ctxt, host)):
            try:
                compute_instances.begin_action(self.ctxt, instance.uuid, "ha-evacuate",
                                               self.ctxt.request_id, None, None)
            except (exceptions.InstanceNotFound, exceptions.InstanceInvalidState):
                continue  # taken by another conductor, deleted, or mid-move
            metrics.HA_EVACUATIONS.inc()
            LOG.info("restarting highly available server %s of dead host %s elsewhere",
                     instance.uuid, host)
            EvacuateTask(self.ctxt, self.services, instance.uuid, None).execute()


def _run_fence_methods(host: str, host_ip: str | None, uuids: list[str]) -> str:
    """What fenced the host, or ``unconfirmed: ...`` with why none could."""
    failures = []
    methods = []
    if CONF.ha.fence_command:
        methods.append(lambda: fencing.run_command(host, host_ip))
    if CONF.ha.libvirt_fence_uri:
        methods.append(lambda: fencing.destroy_through_libvirt(host, host_ip, uuids))
    for method in methods:
        try:
            return method()
        except fencing.FenceFailed as error:
            failures.append(str(error))
    return "unconfirmed: " + ("; ".join(failures) or "no fence method configured")
