"""The HA monitor: a dead compute host is fenced, then its highly available servers are
evacuated; the others keep their state, with a fault saying the host is down.

Every conductor runs it every ``[ha] check_interval``. A host silent for
``[ha] host_down_after`` is fenced by the one conductor whose insert of its fence row
wins (common.db.api.host_fences); each server is taken by begin_action('ha-evacuate'),
a compare-and-swap on its task state, so two conductors never evacuate one server
twice. A fence is lifted when the host's agent is heard from again: by then it has
destroyed the guests evacuated away from it (services.compute.reconcile).

Silence is only taken for a host's death when it can be told from the control plane's:
nothing is fenced when more than ``[ha] max_silent_fraction`` of the compute hosts are
silent at once (a broker, database or conductor outage looks like that), nor before
this conductor has watched for a whole ``host_down_after``; and ``host_down_after``
is never shorter than three heartbeats (a host that missed as many counts as silent).
"""
import dataclasses
import datetime
import time

from oslo_log import log as logging

from common import context, exceptions, notifications
from common.config import CONF
from common.db.api import compute_hosts, compute_instances, host_fences
from common.db.types import utcnow
from services.compute import ha
from services.compute.drain import servers_on
from services.conductor import fencing, metrics
from services.conductor.tasks import PUBLISHER
from services.conductor.tasks.base import Services, TaskBase
from services.conductor.tasks.evacuate import EvacuateTask

LOG = logging.getLogger(__name__)
MISSED_HEARTBEATS = 3  # heartbeats a host may miss before it is taken for silent


def host_down_after() -> float:
    """``[ha] host_down_after``, but never under three heartbeats: a loaded host
    misses one now and then."""
    return max(CONF.ha.host_down_after, MISSED_HEARTBEATS * CONF.report_interval)


def silent_for(last_seen_at: datetime.datetime | None, now: datetime.datetime) -> float:
    if last_seen_at is None:
        return 0.0  # never seen: not a host that died
    return (now - last_seen_at).total_seconds()


class HostMonitorTask(TaskBase):
    """One look at the heartbeats; ``watching_since`` is when this conductor started
    watching (time.monotonic())."""

    def __init__(self, ctxt: context.RequestContext, services: Services,
                 watching_since: float) -> None:
        super().__init__(ctxt, services)
        self.watching_since = watching_since

    def _execute(self) -> None:
        if not CONF.ha.enabled:
            return
        fences = host_fences.list_fences(self.ctxt)
        hosts = compute_hosts.compute_services(self.ctxt)
        now = utcnow()
        silence = {host: silent_for(service.last_seen_at, now)
                   for host, service in hosts.items() if host not in fences}
        to_fence = [host for host, quiet in silence.items() if quiet > host_down_after()]
        # those about to be silent long enough count too: an outage silences all at once
        missing = [host for host, quiet in silence.items()
                   if quiet > MISSED_HEARTBEATS * CONF.report_interval]
        may_fence = bool(to_fence) and self._may_fence(len(missing) + len(fences),
                                                       len(hosts))
        for host, service in hosts.items():
            fence = fences.get(host)
            if fence is not None and service.last_seen_at is not None \
                    and service.last_seen_at > fence.fenced_at:
                if host_fences.lift(self.ctxt, host, fence.fenced_at):
                    LOG.info("compute host %s is back: its fence is lifted", host)
                    metrics.UNFENCES.inc()
                continue
            if host in to_fence and may_fence:
                fence = self._fence(host)
            if fence is not None and self._may_evacuate(fence):
                self._evacuate(host)

    def _may_fence(self, silent_hosts: int, hosts: int) -> bool:
        if time.monotonic() - self.watching_since < host_down_after():
            LOG.info("%d compute host(s) silent, but this conductor has not watched "
                     "for %ss yet: nothing fenced", silent_hosts, host_down_after())
            return False
        if silent_hosts > CONF.ha.max_silent_fraction * hosts:
            LOG.error("%d of %d compute hosts silent at once: taken for a control "
                      "plane outage (broker, database, conductors), nothing fenced",
                      silent_hosts, hosts)
            metrics.FENCES_WITHHELD.inc()
            return False
        return True

    def _fence(self, host: str) -> host_fences.FenceRecord | None:
        claimed = host_fences.claim(self.ctxt, host, self.services.host)
        if claimed is None:
            return None  # another conductor fences it
        instances = servers_on(self.ctxt, host)
        to_evacuate = [i.uuid for i in ha.restart_order(instances)]
        host_ip = compute_hosts.host_ips(self.ctxt).get(host)
        outcome = _run_fence_methods(host, host_ip, to_evacuate)
        LOG.warning("compute host %s silent for over %ss: fenced (%s)", host,
                    host_down_after(), outcome)
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
