"""DNS of ports and floating IPs: managed recordsets, and the names OVN answers.

A port with a ``dns_name`` on a network with a ``dns_domain`` has the FQDN
``<dns_name>.<dns_domain>``. When a PRIMARY zone holds that name, Strato keeps managed
A/AAAA recordsets of its fixed IPs there, and a PTR recordset per address in the reverse
zone that holds it (when one exists). An associated floating IP gets a PTR to the FQDN
of its port. ``sync_managed`` follows one port or floating IP (driven by notifications),
``sync_all_managed`` repairs everything (the periodic reconcile).

``network_records`` is the content of each tenant network's OVN ``DNS`` row: its ports'
short names, FQDNs and reverse names, plus the internal names an admin declared.

Only the section "where ports come from" knows the networking tables.
"""
import ipaddress

import sqlalchemy as sa
from oslo_log import log as logging
from sqlalchemy import orm

from common import context
from common.config import CONF
from common.db import models, session
from common.db.api import dns as dns_api
from common.db.models.dns import CREATE, DELETE, PENDING, PRIMARY, UPDATE
from common.dns import validation as dns_validation
from common.dns.snapshots import Network

LOG = logging.getLogger(__name__)

PORT, FLOATINGIP = "port", "floatingip"
MANAGED_TYPES = (PORT, FLOATINGIP)

Desired = list[tuple[str, str, list[str]]]  # (name, type, records)


def fqdn(dns_name: str | None, dns_domain: str | None) -> str | None:
    """``web`` + ``example.org.`` -> ``web.example.org.``; None without both."""
    domain = (dns_domain or "").strip(".").lower()
    if not dns_name or not domain:
        return None
    return f"{dns_name.lower()}.{domain}."


def port_recordsets(port: dict) -> Desired:
    """A/AAAA of a port's FQDN and a PTR per fixed IP.

    ``port``: ``{"dns_name", "dns_domain" (its network's), "fixed_ips": [address]}``.
    """
    name = fqdn(port.get("dns_name"), port.get("dns_domain"))
    if name is None:
        return []
    addresses = [ipaddress.ip_address(ip) for ip in port.get("fixed_ips", [])]
    desired = [(name, rtype, [str(a) for a in addresses if a.version == version])
               for rtype, version in (("A", 4), ("AAAA", 6))]
    desired += [(dns_validation.reverse_name(str(a)), "PTR", [name]) for a in addresses]
    return [(n, t, records) for n, t, records in desired if records]


def floatingip_recordsets(floatingip: dict) -> Desired:
    """The PTR of a floating IP to the FQDN of its port.

    ``floatingip``: ``{"floating_ip_address", "fqdn"}`` (fqdn None when not associated
    or when the port has none).
    """
    if not floatingip.get("fqdn"):
        return []
    return [(dns_validation.reverse_name(floatingip["floating_ip_address"]), "PTR",
             [floatingip["fqdn"]])]


# --- where ports come from: the networking tables -----------------------------------------

def _ports(s: orm.Session, port_ids: list[str] | None = None,
           network_ids: list[str] | None = None) -> list[dict]:
    """Ports with a dns_name as ``{"id", "network_id", "dns_name", "dns_domain",
    "fixed_ips"}``."""
    query = sa.select(models.Port).where(models.Port.dns_name != "")
    if port_ids is not None:
        query = query.where(models.Port.id.in_(port_ids))
    if network_ids is not None:
        query = query.where(models.Port.network_id.in_(network_ids))
    ports = list(s.scalars(query))
    domains = dict(s.execute(sa.select(models.Network.id, models.Network.dns_domain).where(
        models.Network.id.in_({port.network_id for port in ports}))).all())
    return [{"id": port.id, "network_id": port.network_id, "dns_name": port.dns_name,
             "dns_domain": domains.get(port.network_id, ""),
             "fixed_ips": [allocation.ip_address for allocation in port.fixed_ips]}
            for port in ports]


def _floatingips(s: orm.Session, floatingip_ids: list[str] | None = None) -> list[dict]:
    """Floating IPs as ``{"id", "floating_ip_address", "fqdn"}``."""
    query = (sa.select(models.FloatingIP.id, models.FloatingIP.floating_ip_address,
                       models.Port.dns_name, models.Network.dns_domain)
             .outerjoin(models.Port, models.Port.id == models.FloatingIP.fixed_port_id)
             .outerjoin(models.Network, models.Network.id == models.Port.network_id))
    if floatingip_ids is not None:
        query = query.where(models.FloatingIP.id.in_(floatingip_ids))
    return [{"id": fip_id, "floating_ip_address": address, "fqdn": fqdn(name, domain)}
            for fip_id, address, name, domain in s.execute(query)]


def _desired(s: orm.Session, owners: list[tuple[str, str]] | None
             ) -> dict[tuple[str, str], Desired]:
    """What each owner (type, id) should have; None: every port and floating IP."""
    port_ids = fip_ids = None
    if owners is not None:
        port_ids = [owner_id for kind, owner_id in owners if kind == PORT]
        fip_ids = [owner_id for kind, owner_id in owners if kind == FLOATINGIP]
    desired = {(PORT, port["id"]): port_recordsets(port) for port in _ports(s, port_ids)}
    desired.update({(FLOATINGIP, fip["id"]): floatingip_recordsets(fip)
                    for fip in _floatingips(s, fip_ids)})
    return desired


# --- managed recordsets -------------------------------------------------------------------

class _Zones:
    """The PRIMARY zones not being deleted, to find the one that holds a name."""

    def __init__(self, s: orm.Session) -> None:
        query = sa.select(models.DNSZone).filter(models.DNSZone.type == PRIMARY,
                                                 models.DNSZone.action != DELETE)
        self.by_name = {zone.name: zone for zone in s.scalars(query)}

    def holding(self, name: str) -> models.DNSZone | None:
        for candidate in (name, *dns_api.ancestors(name)):
            if candidate in self.by_name:
                return self.by_name[candidate]
        return None


def _occupied(s: orm.Session, zone: models.DNSZone, name: str, rtype: str) -> bool:
    """True when a recordset Strato does not manage for this owner holds the spot.

    A recordset of the same name and type that is being deleted gives way.
    """
    others = list(s.scalars(sa.select(models.DNSRecordSet).filter_by(zone_id=zone.id,
                                                                      name=name)))
    for other in others:
        if other.type == rtype and other.action == DELETE:
            s.delete(other)
            s.flush()
        elif other.type == rtype or "CNAME" in (other.type, rtype):
            LOG.warning("not publishing %s %s: the name is taken in zone %s",
                        name, rtype, zone.name)
            return True
    return False


def _apply(s: orm.Session, zones: _Zones, owner: tuple[str, str], desired: Desired,
           existing: list[models.DNSRecordSet]) -> set[str]:
    """Make the managed recordsets of ``owner`` match ``desired``; returns changed zones."""
    wanted = {}
    for name, rtype, records in desired:
        zone = zones.holding(name)
        if zone is not None:
            wanted[(zone.id, name, rtype)] = (zone, records)
    have = {(rs.zone_id, rs.name, rs.type): rs for rs in existing}
    changed: set[str] = set()
    for key, recordset in have.items():
        if key not in wanted and recordset.action != DELETE:
            dns_api.mark_pending(recordset, DELETE)
            changed.add(recordset.zone_id)
    for key, (zone, records) in wanted.items():
        found = have.get(key)
        if found is None:
            if _occupied(s, zone, key[1], key[2]):
                continue
            s.add(dns_api.new_recordset(zone, key[1], key[2], records, managed=True,
                                        managed_resource_type=owner[0],
                                        managed_resource_id=owner[1], status=PENDING,
                                        action=CREATE))
        elif found.action == DELETE or [r.data for r in found.records] != records:
            dns_api.set_records(found, records)
            dns_api.mark_pending(found, CREATE if found.action == DELETE else UPDATE)
        else:
            continue
        changed.add(zone.id)
    return changed


def _sync(owners: list[tuple[str, str]] | None) -> list[str]:
    with session.transaction() as s:
        desired = _desired(s, owners)
        query = sa.select(models.DNSRecordSet).where(
            models.DNSRecordSet.managed_resource_type.in_(MANAGED_TYPES))
        if owners is not None:
            query = query.where(models.DNSRecordSet.managed_resource_id.in_(
                [owner_id for _kind, owner_id in owners]))
        existing: dict[tuple[str, str], list] = {}
        for recordset in s.scalars(query):  # managed: both columns are set
            owner = (str(recordset.managed_resource_type), str(recordset.managed_resource_id))
            existing.setdefault(owner, []).append(recordset)
        zones = _Zones(s)
        changed: set[str] = set()
        for owner in sorted(set(desired) | set(existing)):
            changed |= _apply(s, zones, owner, desired.get(owner, []),
                              existing.get(owner, []))
        for zone_id in sorted(changed):
            dns_api.touch(s, s.get_one(models.DNSZone, zone_id))
        return sorted(changed)


def sync_managed(ctxt: context.RequestContext, resource_type: str,
                 resource_id: str) -> list[str]:
    """Bring the managed recordsets of one port or floating IP (gone or not) up to date.

    Returns the ids of the zones that changed: cast ``sync_zone`` for each.
    """
    if resource_type not in MANAGED_TYPES:
        raise ValueError(f"unknown managed resource type {resource_type!r}")
    return _sync([(resource_type, resource_id)])


def sync_all_managed(ctxt: context.RequestContext) -> list[str]:
    """Repair the managed recordsets of every port and floating IP; changed zone ids."""
    return _sync(None)


# --- OVN's DNS table ------------------------------------------------------------------------

def _ovn_key(name: str) -> str:
    return name.rstrip(".").lower()


def network_records(ctxt: context.RequestContext,
                    network_ids: list[str] | None = None) -> list[Network]:
    """``[{"id": network id, "records": {name: "addr addr"}}]`` for each tenant network.

    Names are lower case without the trailing dot, as OVN matches them: a port's short
    name, its FQDN (the network's dns_domain, or [network] dns_domain), its reverse
    names (whose value is the FQDN), and the internal names that apply to the network.
    """
    with session.reader() as s:
        query = sa.select(models.Network.id, models.Network.dns_domain).where(
            models.Network.external.is_(False))
        if network_ids is not None:
            query = query.where(models.Network.id.in_(network_ids))
        networks = dict(s.execute(query).all())
        ports = _ports(s, network_ids=list(networks))
        internal = list(s.scalars(sa.select(models.DNSInternalName).order_by(
            models.DNSInternalName.name)))
    records: dict[str, dict[str, str]] = {network_id: {} for network_id in networks}
    for name in internal:
        for network_id, entries in records.items():
            if name.network_id in (None, network_id):
                entries[_ovn_key(name.name)] = " ".join(name.addresses)
    for port in ports:
        domain = networks[port["network_id"]] or CONF.network.dns_domain
        port_name = fqdn(port["dns_name"], domain)
        addresses = " ".join(port["fixed_ips"])
        if port_name is None or not addresses:
            continue
        entries = records[port["network_id"]]
        entries[port["dns_name"].lower()] = addresses
        entries[_ovn_key(port_name)] = addresses
        for address in port["fixed_ips"]:
            entries[_ovn_key(dns_validation.reverse_name(address))] = _ovn_key(port_name)
    return [{"id": network_id, "records": entries}
            for network_id, entries in sorted(records.items())]
