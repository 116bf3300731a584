"""The ports of servers: what the compute side calls to give a server its network
attachments on a host, to move them to another host, and to take them away again
(Nova's allocate_for_instance / deallocate_for_instance against Neutron).

Ports of a server have ``device_id`` = the instance uuid, ``device_owner`` =
``compute:<availability zone>`` and ``binding:host_id`` = the compute host. Every function
returns what changed, and the caller (the conductor) casts
``services.network.rpcapi.NetworkAgentAPI().sync(ctxt, *[("port", id), ...])`` so OVN
binds them (requested-chassis) at once. The server's ``addresses`` are read by
common.db.api.compute_network.
"""
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api import network_common as common
from common.db.api import network_ports as ports
from common.db.api import network_records

COMPUTE_OWNER = "compute:"


def _admin(ctxt: Any) -> context.RequestContext:
    """The API checked what the user may attach; the ports are made as admin, for the
    instance's project, with a binding only admins may set."""
    return context.get_admin_context(request_id=getattr(ctxt, "request_id", None))


def vif(port: network_records.Port, mtu: int) -> dict[str, Any]:
    """A port as the compute agent plugs it: the port plus its network's MTU and the
    tap device name Nova uses (tap + the first 11 characters of the port id)."""
    return {**port, "mtu": mtu, "devname": f"tap{port['id'][:11]}"}


def _vifs(s: orm.Session, port_rows: Sequence[models.Port]) -> list[dict]:
    mtus = dict(s.execute(sa.select(models.Network.id, models.Network.mtu).where(
        models.Network.id.in_({port.network_id for port in port_rows}))).all())
    return [vif(port, mtus[port["network_id"]]) for port in ports.render(s, port_rows)]


def _instance_ports(s: orm.Session, instance_uuid: str) -> list[models.Port]:
    query = sa.select(models.Port).where(models.Port.device_id == instance_uuid,
                                         models.Port.device_owner.startswith(COMPUTE_OWNER))
    return list(s.scalars(query.order_by(models.Port.created_at, models.Port.id)))


def _bind(port: models.Port, instance_uuid: str, owner: str, host: str) -> None:
    port.device_id, port.device_owner = instance_uuid, owner
    port.binding_host_id, port.binding_vif_type = host, "ovs" if host else "unbound"
    common.bump(port)


def _usable_networks(s: orm.Session, project_id: str) -> list[str]:
    query = sa.select(models.Network.id).where(
        sa.or_(models.Network.project_id == project_id, models.Network.shared.is_(True)),
        models.Network.external.is_(False))
    return list(s.scalars(query))


def _requests(s: orm.Session, project_id: str, requested: Any) -> list[dict]:
    """Nova's requested_networks as a list of {uuid, fixed_ip} or {port}: "none" is no
    port, "auto" or nothing the project's only usable network (none: no port)."""
    if requested == "none":
        return []
    if requested in (None, "auto"):
        found = _usable_networks(s, project_id)
        if len(found) > 1:
            raise exceptions.Conflict("Multiple possible networks found, use a Network ID "
                                      "to be more specific.")
        return [{"uuid": network_id} for network_id in found]
    return list(requested)


def _existing_port(s: orm.Session, port_id: str, instance_uuid: str) -> models.Port:
    port = s.get(models.Port, port_id)
    if port is None:
        raise exceptions.PortNotFound(port_id=port_id)
    if port.device_id not in ("", instance_uuid):
        raise exceptions.PortInUse(port_id=port.id, net_id=port.network_id,
                                   device_id=port.device_id)
    return port


def _dns_domains(s: orm.Session, items: list[dict]) -> dict[str, str]:
    network_ids = {item["uuid"] for item in items if not item.get("port")}
    return dict(s.execute(sa.select(models.Network.id, models.Network.dns_domain).where(
        models.Network.id.in_(network_ids))).all()) if network_ids else {}


def _new_port_body(item: dict, project_id: str, instance_uuid: str, owner: str,
                   host: str, security_groups: Sequence[str] | None,
                   dns_name: str | None) -> dict:
    body = {"network_id": item["uuid"], "project_id": project_id,
            "device_id": instance_uuid, "device_owner": owner, "binding:host_id": host}
    if dns_name:
        body["dns_name"] = dns_name
    if item.get("fixed_ip"):
        body["fixed_ips"] = [{"ip_address": item["fixed_ip"]}]
    if security_groups is not None:
        body["security_groups"] = list(security_groups)
    return body


def _security_group_ids(s: orm.Session, project_id: str,
                        names: Sequence[str] | None) -> list[str] | None:
    """Nova names security groups by name (or id); None keeps Neutron's default."""
    if not names:
        return None
    query = sa.select(models.SecurityGroup.id, models.SecurityGroup.name).where(
        models.SecurityGroup.project_id == project_id)
    found: dict[str, str] = {}
    for sg_id, name in s.execute(query):
        found[sg_id] = sg_id
        found.setdefault(name, sg_id)
    missing = [name for name in names if name not in found and name != "default"]
    if missing:
        raise exceptions.SecurityGroupNotFound(id=missing[0])
    return [found[name] for name in names if name in found] or None


def allocate_for_instance(ctxt: Any, instance_uuid: str, project_id: str, host: str,
                          availability_zone: str | None, requested: Any,
                          security_groups: Sequence[str] | None = None,
                          hostname: str | None = None) -> list[dict]:
    """The server's VIFs on ``host`` (see ``vif``), in the order requested: each
    requested port bound, a new port on each requested network (with its fixed_ip, the
    given security groups, else the project's default, and ``hostname`` as dns_name
    where the network has a dns_domain, as Nova does), the new ones all or none.
    A server that already has ports (a retried or rescheduled build) keeps them, bound
    to ``host`` instead. After a failure, ``deallocate_for_instance`` cleans up."""
    owner = COMPUTE_OWNER + (availability_zone or "nova")
    kept = bind_instance_ports(ctxt, instance_uuid, host)
    if kept:
        return _request_order(kept, requested)
    with session.transaction() as s:
        sg_ids = _security_group_ids(s, project_id, security_groups)
        items = _requests(s, project_id, requested)
        for item in items:
            if item.get("port"):
                _bind(_existing_port(s, item["port"], instance_uuid), instance_uuid, owner,
                      host)
        domains = _dns_domains(s, items)
    bodies = [_new_port_body(item, project_id, instance_uuid, owner, host, sg_ids,
                             hostname if domains.get(item["uuid"]) else None)
              for item in items if not item.get("port")]
    created = iter(ports.create_ports(_admin(ctxt), bodies) if bodies else [])
    order = [item["port"] if item.get("port") else next(created)["id"] for item in items]
    with session.transaction() as s:
        rows = {port.id: port for port in _instance_ports(s, instance_uuid)}
        return _vifs(s, [rows[port_id] for port_id in order])


def _request_order(vifs: list[dict], requested: Any) -> list[dict]:
    """The given ports where the request names them, the ports made for networks (in
    creation order) in the places of the networks."""
    if not isinstance(requested, list):
        return vifs
    by_id = {vif["id"]: vif for vif in vifs}
    given = [item["port"] for item in requested if item.get("port") in by_id]
    made = [vif for vif in vifs if vif["id"] not in given]
    ordered = [by_id[item["port"]] if item.get("port") else made.pop(0)
               for item in requested if item.get("port") in by_id or
               (not item.get("port") and made)]
    return ordered + made


@common.retry_on_db_conflict
def bind_instance_ports(ctxt: Any, instance_uuid: str, host: str) -> list[dict]:
    """Move the server's ports to ``host`` alone (migration, resize, evacuation; a live
    migration's double binding ends); its VIFs."""
    with session.transaction() as s:
        found = _instance_ports(s, instance_uuid)
        for port in found:
            _bind(port, instance_uuid, port.device_owner, host)
            port.binding_profile = {key: value for key, value in
                                    (port.binding_profile or {}).items()
                                    if key != "migrating_to"}
        s.flush()
        return _vifs(s, found)


@common.retry_on_db_conflict
def set_migration_target(ctxt: Any, instance_uuid: str, destination: str | None) -> list[str]:
    """Let the server's ports be bound on ``destination`` too while a live migration
    runs (``binding:profile`` ``migrating_to``, as Nova sets it), or no longer (None);
    the ids of the ports."""
    with session.transaction() as s:
        found = _instance_ports(s, instance_uuid)
        for port in found:
            profile = {key: value for key, value in (port.binding_profile or {}).items()
                       if key != "migrating_to"}
            if destination:
                profile["migrating_to"] = destination
            port.binding_profile = profile
            common.bump(port)
        return [port.id for port in found]


@common.retry_on_db_conflict
def deallocate_for_instance(ctxt: Any, instance_uuid: str,
                            requested: Any = None) -> list[tuple[str, str]]:
    """Delete the ports the server's create made; unbind those it was given
    (``requested`` entries with a "port"), which stay for reuse, as in Nova. Returns
    the changed ports as ("port", id). Nothing left: nothing to do."""
    given = {item["port"] for item in requested or [] if isinstance(item, dict)
             and item.get("port")} if isinstance(requested, list) else set()
    with session.transaction() as s:
        changed = []
        for port in _instance_ports(s, instance_uuid):
            if port.id in given:
                _bind(port, "", "", "")
            else:
                ports.delete_port_in_session(s, port)
            changed.append(("port", port.id))
        return changed


def instance_vifs(ctxt: Any, instance_uuid: str) -> list[dict]:
    """The server's VIFs as they are (for a compute agent re-plugging after a reboot)."""
    with session.reader() as s:
        return _vifs(s, _instance_ports(s, instance_uuid))
