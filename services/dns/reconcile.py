"""The dns agent's loop: desired state (from the conductor) against every backend.

Level-triggered: each sync reads what the database wants now and has every backend
converge to it, so a lost cast, a restarted agent or a record deleted by hand on a
backend heals at the next run. Syncs take one lock from reading the desired state to
the last backend write: a sync never applies a snapshot older than what an earlier
sync already applied (which would bring back a zone just deleted, or remove one just
created). Reports to the conductor go out after the lock is released.

What the api casts and the notifications ask for goes through the agent's work queue
(common.workqueue), never on the RPC or listener thread: a burst of changes becomes one
pass, and a pass the conductor could not answer is retried with back-off.
"""
import threading
from collections.abc import Callable, Iterable

from oslo_log import log as logging

from common import context, workqueue
from services.conductor.rpcapi import DNSConductorAPI
from services.dns.backends.base import Backend, Zone

LOG = logging.getLogger(__name__)

DELETE = "DELETE"
COALESCE_SECONDS = 0.02
# Keys of the work queue: ("zone", id), ("network", id), ("network", ALL) for every
# network, (resource type, id, network id) for a port or floating IP, and FULL.
ALL = "*"
FULL = ("*",)
Key = tuple[str, ...]


class Reconciler:
    def __init__(self, backends: list[Backend], conductor: DNSConductorAPI,
                 report_delay: float = 0.0) -> None:
        self.zone_backends = [b for b in backends if b.holds_zones]
        self.network_backends = [b for b in backends if b.holds_networks]
        self.conductor = conductor
        self.report_delay = report_delay
        self._lock = threading.Lock()
        self.worker: workqueue.QueueWorker[Key] = workqueue.QueueWorker(
            "dns", self._process, coalesce=COALESCE_SECONDS)

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()

    # -- requests (return at once; the worker does them) --

    def request_full(self) -> None:
        self.worker.add(FULL)

    def request_zones(self, zone_ids: Iterable[str]) -> None:
        self.worker.add_all(("zone", zone_id) for zone_id in zone_ids)

    def request_networks(self, network_ids: Iterable[str] | None) -> None:
        """The given networks' names, or every network's (and strays removed) if None."""
        ids = [ALL] if network_ids is None else network_ids
        self.worker.add_all(("network", network_id) for network_id in ids)

    def request_resource(self, resource_type: str, resource_id: str,
                         network_id: str | None = None) -> None:
        self.worker.add((resource_type, resource_id, network_id or ""))

    def _process(self, batch: list[Key]) -> list[Key]:
        """Handle one batch of keys; the keys that failed."""
        ctxt = context.get_admin_context()
        if FULL in batch:
            self.run(ctxt)  # covers everything queued beside it
            return []
        zone_ids = [key[1] for key in batch if key[0] == "zone"]
        network_ids = {key[1] for key in batch if key[0] == "network"}
        failed: list[Key] = []
        for key in (key for key in batch if len(key) == 3):
            resource_type, resource_id, network_id = key
            try:
                zone_ids += self.conductor.sync_managed(ctxt, resource_type, resource_id)
            except Exception as error:
                LOG.warning("managed records of %s %s failed: %s", resource_type,
                            resource_id, error)
                failed.append(key)
                continue
            if resource_type == "port":
                network_ids.add(network_id or ALL)
        if zone_ids:
            self.sync_zones(ctxt, list(dict.fromkeys(zone_ids)))
        if network_ids:
            every = ALL in network_ids
            failed += [("network", network_id) for network_id in self.sync_networks(
                ctxt, None if every else sorted(network_ids))]
        return failed

    # -- passes (on the calling thread) --

    def run(self, ctxt: context.RequestContext) -> None:
        """A full pass: managed records of ports/floating IPs, every zone, every network."""
        self.conductor.sync_all_managed(ctxt)
        self.sync_zones(ctxt)
        self.sync_networks(ctxt)

    # -- zones --

    def sync_zones(self, ctxt: context.RequestContext, zone_ids: list[str] | None = None) -> None:
        """Apply the given zones (all, and remove strays, when None) and report back."""
        if not self.zone_backends:
            return
        results, purged = [], []
        with self._lock:
            zones = self.conductor.get_zones(ctxt, zone_ids)
            for zone in zones:
                if zone["action"] == DELETE:
                    if self._remove_everywhere(zone["name"]):
                        purged.append(zone["id"])
                    continue
                result = self._apply(zone)
                if _worth_reporting(zone, result):
                    results.append(result)
            if zone_ids is None:
                self._remove_strays({z["name"] for z in zones if z["action"] != DELETE})
        for zone_id in purged:
            LOG.info("zone %s is off every backend, purging it", zone_id)
            self.conductor.purge_zone(ctxt, zone_id)
        if results:
            self._report(ctxt, results)

    def _report(self, ctxt: context.RequestContext, results: list[dict]) -> None:
        """Tell the conductor what the backends have, ``report_delay`` seconds from now.
        A lost report is made again by the next full pass (the zone is not ACTIVE)."""
        if self.report_delay <= 0:
            self.conductor.zones_synced(ctxt, results)
            return
        timer = threading.Timer(self.report_delay, self.conductor.zones_synced,
                                (ctxt, results))
        timer.daemon = True
        timer.start()

    def _apply(self, zone: Zone) -> dict:
        ok, served = True, None
        for backend in self.zone_backends:
            try:
                serial = backend.apply_zone(zone)
            except Exception:
                LOG.exception("%s: applying zone %s failed", backend.name, zone["name"])
                ok = False
                continue
            served = serial if served is None else served
        transferred = served if zone["type"] == "SECONDARY" else None
        return {"zone_id": zone["id"], "serial": zone["serial"], "ok": ok,
                "transferred": transferred}

    def _remove_everywhere(self, name: str) -> bool:
        return all([_attempt(backend.name, backend.remove_zone, name)
                    for backend in self.zone_backends])

    def _remove_strays(self, wanted: set[str]) -> None:
        for backend in self.zone_backends:
            for name in sorted(backend.zone_names() - wanted):
                LOG.info("%s: zone %s is not in the database, removing it", backend.name,
                         name)
                _attempt(backend.name, backend.remove_zone, name)

    # -- networks (OVN's internal names) --

    def sync_networks(self, ctxt: context.RequestContext,
                      network_ids: list[str] | None = None) -> set[str]:
        """Apply the given networks' names (all, and remove strays, when None); the ids
        of the networks some backend failed."""
        failed: set[str] = set()
        if not self.network_backends:
            return failed
        with self._lock:
            networks = self.conductor.get_networks(ctxt, network_ids)
            present = {network["id"] for network in networks}
            for backend in self.network_backends:
                for network in networks:
                    if not _attempt(backend.name, backend.apply_network, network):
                        failed.add(network["id"])
                known = backend.network_ids() if network_ids is None else set(network_ids)
                for network_id in sorted(known - present):
                    if not _attempt(backend.name, backend.remove_network, network_id):
                        failed.add(network_id)
        return failed


def _worth_reporting(zone: Zone, result: dict) -> bool:
    return (not result["ok"] or zone["status"] != "ACTIVE"
            or (result["transferred"] is not None and result["transferred"] != zone["serial"]))


def _attempt(backend: str, action: Callable, *args: object) -> bool:
    try:
        action(*args)
    except Exception:
        LOG.exception("%s: %s%s failed", backend, action.__name__, args)
        return False
    return True
