"""The built-in backend: zones as files that Strato's own authoritative server serves.

PRIMARY zones are written from the database; SECONDARY zones are pulled by AXFR from
their masters whenever the masters' serial differs; FORWARD zones become a list of
resolvers the server relays queries to.
"""
import dns.exception
from oslo_log import log as logging

from common import exceptions
from common.config import CONF
from services.dns import xfr, zonedata
from services.dns.backends.base import Backend, Zone
from services.dns.backends.builtin.server import DNSServer
from services.dns.backends.builtin.zonestore import ZoneStore

LOG = logging.getLogger(__name__)


class BuiltinBackend(Backend):
    name = "builtin"
    holds_zones = True

    def __init__(self) -> None:
        self.store = ZoneStore(CONF.dns.zone_dir)
        self.server = DNSServer(self.store, CONF.dns.listen_address, CONF.dns.listen_port,
                                CONF.dns.transfer_acl, CONF.dns.forward_timeout)

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    def zone_names(self) -> set[str]:
        return self.store.names()

    def apply_zone(self, zone: Zone) -> int | None:
        if zone["type"] == "FORWARD":
            if self.store.read_forward(zone["name"]) != zone["masters"]:
                LOG.info("builtin: writing forward zone %s -> %s", zone["name"],
                         ", ".join(zone["masters"]))
                self.store.write_forward(zone["name"], zone["masters"])
            return None
        if zone["type"] == "SECONDARY":
            return self._refresh_secondary(zone)
        text = zonedata.zone_text(zonedata.build_zone(zone))
        if self.store.read(zone["name"]) != text:
            LOG.info("builtin: writing zone %s serial %s", zone["name"], zone["serial"])
            self.store.write(zone["name"], text)
        return zone["serial"]

    def _refresh_secondary(self, zone: Zone) -> int:
        """Transfer the zone from the first master that answers, unless already current."""
        current = self.store.read(zone["name"])
        errors = []
        for master in zone["masters"]:
            host, port = zonedata.server(master)
            timeout = CONF.dns.forward_timeout
            try:
                serial = xfr.soa_serial(zone["name"], host, port, timeout)
                if serial is None:
                    raise dns.exception.DNSException(f"{master} is not authoritative")
                if current is not None and zonedata.soa_serial(
                        zonedata.parse(zone["name"], current)) == serial:
                    return serial
                pulled = xfr.transfer(zone["name"], host, port, timeout)
            except (dns.exception.DNSException, OSError) as error:
                errors.append(f"{master}: {error}")
                continue
            LOG.info("builtin: transferred %s serial %s from %s", zone["name"], serial, master)
            self.store.write(zone["name"], zonedata.zone_text(pulled))
            return zonedata.soa_serial(pulled)
        raise exceptions.DNSBackendError(backend=self.name,
                                         reason=f"no master of {zone['name']} answered: "
                                                + "; ".join(errors))

    def remove_zone(self, name: str) -> None:
        if name in self.store.names():
            LOG.info("builtin: removing zone %s", name)
            self.store.remove(name)
