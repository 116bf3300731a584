"""The BIND9 backend: zones added with ``rndc addzone``, kept by RFC 2136 updates (TSIG).

named needs ``allow-new-zones yes;``, a control channel reachable with
[dns] bind9_rndc_config, and a TSIG key ([dns] bind9_tsig_*) that Strato's zones allow
to update and transfer. A new PRIMARY zone starts from a master file the agent writes in
[dns] bind9_zone_dir (so named and the agent share that directory, as on one host);
after that every change is a dynamic update, computed by comparing an AXFR of the zone
with the database. A SECONDARY zone is added as ``type secondary`` and BIND transfers
it from the masters itself. FORWARD zones are not BIND's business here (named runs
authoritative-only); the built-in server forwards them.

The zones this backend owns are those with a ``<zone>.zone`` file in bind9_zone_dir.
"""
import os
import subprocess

import dns.exception
import dns.query
import dns.rcode
import dns.update
from oslo_log import log as logging

from common import exceptions
from common.config import CONF
from services.dns import xfr, zonedata
from services.dns.backends.base import Backend, Zone

LOG = logging.getLogger(__name__)

TIMEOUT = 10.0
SUFFIX = ".zone"


class Bind9Backend(Backend):
    name = "bind9"
    holds_zones = True

    def __init__(self) -> None:
        self.host = CONF.dns.bind9_host
        self.port = CONF.dns.bind9_port
        self.tsig = xfr.Tsig(CONF.dns.bind9_tsig_key_name, CONF.dns.bind9_tsig_algorithm,
                             CONF.dns.bind9_tsig_secret)
        self.zone_dir = CONF.dns.bind9_zone_dir

    def _path(self, name: str) -> str:
        return os.path.join(self.zone_dir, name.rstrip(".") + SUFFIX)

    def zone_names(self) -> set[str]:
        try:
            files = os.listdir(self.zone_dir)
        except FileNotFoundError:
            return set()
        return {f[:-len(SUFFIX)] + "." for f in files if f.endswith(SUFFIX)}

    def apply_zone(self, zone: Zone) -> int | None:
        if zone["type"] == "FORWARD":
            return None
        try:
            if self._served_serial(zone["name"]) is None:
                self._add(zone)
            if zone["type"] == "SECONDARY":
                return self._served_serial(zone["name"])
            self._update(zone)
        except (dns.exception.DNSException, OSError) as error:
            raise exceptions.DNSBackendError(backend=self.name, reason=str(error)) from error
        return zone["serial"]

    def remove_zone(self, name: str) -> None:
        LOG.info("bind9: deleting zone %s", name)
        self._rndc("delzone", "-clean", name.rstrip("."), missing_ok=True)
        for path in (self._path(name), self._path(name) + ".jnl"):
            if os.path.exists(path):
                os.unlink(path)

    # -- helpers --

    def _served_serial(self, name: str) -> int | None:
        return xfr.soa_serial(name, self.host, self.port, TIMEOUT, self.tsig)

    def _zone_statement(self, zone: Zone) -> str:
        key = f'key "{self.tsig.name}";'
        common = (f'file "{self._path(zone["name"])}"; allow-transfer {{ {key} }};')
        if zone["type"] == "SECONDARY":
            primaries = " ".join(f"{host} port {port};" for host, port in
                                 map(zonedata.server, zone["masters"]))
            return f"{{ type secondary; primaries {{ {primaries} }}; {common} }};"
        return f"{{ type primary; {common} allow-update {{ {key} }}; }};"

    def _add(self, zone: Zone) -> None:
        LOG.info("bind9: adding zone %s", zone["name"])
        path = self._path(zone["name"])
        os.makedirs(self.zone_dir, exist_ok=True)
        for stale in (path, path + ".jnl"):  # a journal of an older zone must not replay
            if os.path.exists(stale):
                os.unlink(stale)
        if zone["type"] == "PRIMARY":
            with open(path, "w") as f:
                f.write(zonedata.zone_text(zonedata.build_zone(zone)))
        self._rndc("addzone", zone["name"].rstrip("."), self._zone_statement(zone))

    def _update(self, zone: Zone) -> None:
        actual = xfr.transfer(zone["name"], self.host, self.port, TIMEOUT, self.tsig)
        changes = zonedata.differences(actual, zonedata.build_zone(zone))
        if not changes:
            return
        update = dns.update.UpdateMessage(zone["name"], **self.tsig.kwargs())
        for name, rdtype, rdataset in changes:
            if rdataset is None:
                update.delete(name, rdtype)
            else:
                update.replace(name, rdataset)
        response = dns.query.tcp(update, self.host, port=self.port, timeout=TIMEOUT)
        if response.rcode() != dns.rcode.NOERROR:
            raise exceptions.DNSBackendError(
                backend=self.name, reason=f"update of {zone['name']} answered "
                                          f"{dns.rcode.to_text(response.rcode())}")
        LOG.info("bind9: zone %s updated (%d RRsets)", zone["name"], len(changes))

    def _rndc(self, *args: str, missing_ok: bool = False) -> None:
        result = subprocess.run(["rndc", "-c", CONF.dns.bind9_rndc_config, *args],
                                capture_output=True, text=True, timeout=30,
                                stdin=subprocess.DEVNULL)
        output = (result.stdout + result.stderr).strip()
        if result.returncode and not (missing_ok and "not found" in output):
            raise exceptions.DNSBackendError(backend=self.name,
                                             reason=f"rndc {args[0]}: {output}")
