"""/os-availability-zone (+ /detail): zones of the compute hosts; the detail (admins)
also lists every service per host, the control services in the "internal" zone."""
import falcon

from common import context, policy
from common.db.api import compute_hosts, services
from services.api import handlers
from services.api.compute import compute_services
from services.api.compute.views import common

INTERNAL = "internal"


def _zones(ctx: context.RequestContext) -> dict[str, list]:
    """{zone: [services]} of the compute-side services; all but nova-compute are in the
    internal zone."""
    zone_of_host = compute_services.zones(ctx)
    zones: dict[str, list] = {}
    for service in compute_services.compute_side(services.list_services(ctx)):
        zone = (zone_of_host.get(service.host, INTERNAL)
                if service.binary == compute_hosts.COMPUTE_BINARY else INTERNAL)
        zones.setdefault(zone, []).append(service)
    return zones


def _available(service_list: list) -> bool:
    return any(not s.disabled and services.is_up(s) for s in service_list)


class AvailabilityZones:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "compute:availability_zones:list", {})
        zones = {zone: found for zone, found in _zones(ctx).items() if zone != INTERNAL}
        resp.media = {"availabilityZoneInfo": [
            {"zoneName": zone, "zoneState": {"available": _available(found)},
             "hosts": None} for zone, found in sorted(zones.items())]}


class AvailabilityZonesDetail:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        policy.authorize(handlers.ctx(req), "compute:availability_zones:detail", {})
        info = []
        for zone, found in sorted(_zones(handlers.ctx(req)).items()):
            hosts: dict[str, dict] = {}
            for service in found:
                binary = compute_services.NOVA_BINARIES[service.binary]
                hosts.setdefault(service.host, {})[binary] = {
                    "available": not service.disabled and services.is_up(service),
                    "active": not service.disabled,
                    "updated_at": common.iso(service.last_seen_at)}
            info.append({"zoneName": zone, "zoneState": {"available": _available(found)},
                         "hosts": hosts})
        resp.media = {"availabilityZoneInfo": info}
