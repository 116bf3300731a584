"""The dns agent's loop: desired state (from the conductor) against every backend.

Level-triggered: each sync reads what the database wants now and has every backend
converge to it, so a lost cast, a restarted agent or a record deleted by hand on a
backend heals at the next run. Syncs take one lock from reading the desired state to
the last backend write: a sync never applies a snapshot older than what an earlier
sync already applied (which would bring back a zone just deleted, or remove one just
created). Reports to the conductor go out after the lock is released.
"""
import threading
from collections.abc import Callable

from oslo_log import log as logging

from common import context
from services.conductor.rpcapi import DNSConductorAPI
from services.dns.backends.base import Backend, Zone

LOG = logging.getLogger(__name__)

DELETE = "DELETE"


class Reconciler:
    def __init__(self, backends: list[Backend], conductor: DNSConductorAPI,
                 report_delay: float = 0.0) -> None:
        self.zone_backends = [b for b in backends if b.holds_zones]
        self.network_backends = [b for b in backends if b.holds_networks]
        self.conductor = conductor
        self.report_delay = report_delay
        self._lock = threading.Lock()

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
                      network_ids: list[str] | None = None) -> None:
        """Apply the given networks' names (all, and remove strays, when None)."""
        if not self.network_backends:
            return
        with self._lock:
            networks = self.conductor.get_networks(ctxt, network_ids)
            present = {network["id"] for network in networks}
            for backend in self.network_backends:
                for network in networks:
                    _attempt(backend.name, backend.apply_network, network)
                known = backend.network_ids() if network_ids is None else set(network_ids)
                for network_id in sorted(known - present):
                    _attempt(backend.name, backend.remove_network, network_id)

    # -- ports and floating IPs --

    def sync_resource(self, ctxt: context.RequestContext, resource_type: str,
                      resource_id: str, network_id: str | None = None) -> None:
        """A port or floating IP changed: its managed recordsets, then what they touch."""
        zone_ids = self.conductor.sync_managed(ctxt, resource_type, resource_id)
        if zone_ids:
            self.sync_zones(ctxt, zone_ids)
        if resource_type == "port":
            self.sync_networks(ctxt, None if network_id is None else [network_id])


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
