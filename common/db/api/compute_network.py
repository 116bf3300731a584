"""What the compute API reads of networking: the addresses of servers (their ports'
fixed IPs and the floating IPs on them), servers by IP, and the checks of a server
create (networks, ports and security groups the project may use). Read only."""
import ipaddress
import re
from collections.abc import Iterable

import sqlalchemy as sa

from common import context
from common.db import models, session

Context = context.RequestContext
_Port = models.Port
_IP = models.IPAllocation


def addresses(ctxt: Context, instance_uuids: Iterable[str]) -> dict[str, dict[str, list[dict]]]:
    """{instance uuid: {network name: [address]}} in Nova's shape, one query each for
    fixed and floating addresses."""
    uuids = list(set(instance_uuids))
    result: dict[str, dict[str, list[dict]]] = {uuid: {} for uuid in uuids}
    if not uuids:
        return result
    fixed = (sa.select(_Port.device_id, _Port.id, _Port.mac_address, models.Network.name,
                       _IP.ip_address)
             .join(models.Network, models.Network.id == _Port.network_id)
             .join(_IP, _IP.port_id == _Port.id)
             .where(_Port.device_id.in_(uuids))
             .order_by(_Port.created_at, _Port.id, _IP.id))
    floating = (sa.select(models.FloatingIP.fixed_port_id,
                          models.FloatingIP.fixed_ip_address,
                          models.FloatingIP.floating_ip_address)
                .join(_Port, _Port.id == models.FloatingIP.fixed_port_id)
                .where(_Port.device_id.in_(uuids)))
    with session.reader() as s:
        floats: dict[tuple[str | None, str | None], list[str]] = {}
        for port_id, fixed_ip, floating_ip in s.execute(floating):
            floats.setdefault((port_id, fixed_ip), []).append(floating_ip)
        for device_id, port_id, mac, network, address in s.execute(fixed):
            entries = result[device_id].setdefault(network, [])
            entries.append(_address(address, mac, "fixed"))
            for floating_ip in floats.get((port_id, address), []):
                entries.append(_address(floating_ip, mac, "floating"))
    return result


def _address(address: str, mac: str, kind: str) -> dict:
    return {"addr": address, "version": ipaddress.ip_address(address).version,
            "OS-EXT-IPS:type": kind, "OS-EXT-IPS-MAC:mac_addr": mac}


def instances_with_ip(ctxt: Context, pattern: str, version: int | None = None) -> set[str]:
    """Instances with a fixed IP the regular expression ``pattern`` matches (Nova's ip
    and ip6 filters)."""
    regex = re.compile(pattern)
    query = (sa.select(_Port.device_id, _IP.ip_address).join(_IP, _IP.port_id == _Port.id)
             .where(_Port.device_owner.like("compute:%")))
    with session.reader() as s:
        return {device_id for device_id, address in s.execute(query)
                if regex.search(address) and
                (version is None or ipaddress.ip_address(address).version == version)}


def usable_networks(ctxt: Context, network_ids: Iterable[str], project_id: str) -> set[str]:
    """The ids among ``network_ids`` the project may attach to: its own and shared ones."""
    network = models.Network
    query = sa.select(network.id).where(
        network.id.in_(list(network_ids)),
        sa.or_(network.project_id == project_id, network.shared.is_(True)))
    with session.reader() as s:
        return set(s.scalars(query))


def port_owner(ctxt: Context, port_id: str) -> tuple[str, str] | None:
    """(project_id, device_id) of a port, None when there is no such port."""
    with session.reader() as s:
        row = s.execute(sa.select(_Port.project_id, _Port.device_id)
                        .where(_Port.id == port_id)).one_or_none()
    return (row.project_id, row.device_id) if row is not None else None


def security_groups_found(ctxt: Context, names: Iterable[str], project_id: str) -> set[str]:
    """The names (or ids) among ``names`` naming one of the project's security groups."""
    wanted = set(names)
    group = models.SecurityGroup
    query = sa.select(group.id, group.name).where(
        group.project_id == project_id, sa.or_(group.name.in_(wanted), group.id.in_(wanted)))
    with session.reader() as s:
        return {value for row in s.execute(query) for value in row if value in wanted}


def security_groups_of(ctxt: Context, instance_uuids: Iterable[str]) -> dict[str, list[str]]:
    """{instance uuid: security group names}: those of its ports, as Nova shows them;
    for a server without ports, the ones it asked for (kept in its request spec)."""
    uuids = list(set(instance_uuids))
    result: dict[str, list[str]] = {uuid: [] for uuid in uuids}
    if not uuids:
        return result
    binding, group = models.SecurityGroupPortBinding, models.SecurityGroup
    query = (sa.select(_Port.device_id, group.name)
             .join(binding, binding.port_id == _Port.id)
             .join(group, group.id == binding.security_group_id)
             .where(_Port.device_id.in_(uuids)).order_by(group.name))
    with session.reader() as s:
        with_ports = set(s.scalars(sa.select(_Port.device_id).where(
            _Port.device_id.in_(uuids))))
        for device_id, name in s.execute(query):
            if name not in result[device_id]:
                result[device_id].append(name)
        specs = s.execute(sa.select(models.RequestSpec.instance_uuid,
                                    models.RequestSpec.spec).where(
            models.RequestSpec.instance_uuid.in_([u for u in uuids if u not in with_ports])))
        for uuid, spec in specs:
            result[uuid] = list((spec or {}).get("security_groups") or [])
    return result


def server_security_groups(ctxt: Context, instance_uuid: str, project_id: str) -> list[dict]:
    """The security groups of a server, with their rules: those bound to its ports, or
    for a server without ports the ones its request spec names (in its project).
    Each group: id, name, description, project_id, rules; each rule its Neutron
    columns plus ``remote_group`` ({name, project_id} of the group it names, or None)."""
    group, binding = models.SecurityGroup, models.SecurityGroupPortBinding
    with session.reader() as s:
        ids = set(s.scalars(sa.select(binding.security_group_id)
                            .join(_Port, binding.port_id == _Port.id)
                            .where(_Port.device_id == instance_uuid)))
        has_ports = s.scalar(sa.select(sa.func.count()).select_from(_Port).where(
            _Port.device_id == instance_uuid))
        query = sa.select(group).where(group.id.in_(ids))
        if not has_ports:
            spec = s.scalar(sa.select(models.RequestSpec.spec).filter_by(
                instance_uuid=instance_uuid)) or {}
            names = set(spec.get("security_groups") or [])
            query = sa.select(group).where(group.project_id == project_id, sa.or_(
                group.name.in_(names), group.id.in_(names)))
        groups = list(s.scalars(query.order_by(group.name, group.id)))
        remote_ids = {rule.remote_group_id for g in groups for rule in g.rules
                      if rule.remote_group_id}
        remotes = {row.id: {"name": row.name, "project_id": row.project_id}
                   for row in s.execute(sa.select(group.id, group.name, group.project_id)
                                        .where(group.id.in_(remote_ids)))}
        return [{"id": g.id, "name": g.name, "description": g.description,
                 "project_id": g.project_id,
                 "rules": [_rule(rule, remotes) for rule in g.rules]} for g in groups]


def _rule(rule: models.SecurityGroupRule, remotes: dict[str, dict]) -> dict:
    columns = ("id", "security_group_id", "direction", "ethertype", "protocol",
               "port_range_min", "port_range_max", "remote_ip_prefix")
    return {**{name: getattr(rule, name) for name in columns},
            "remote_group": remotes.get(rule.remote_group_id or "")}


def set_security_groups(ctxt: Context, instance_uuid: str, project_id: str,
                        names: list[str]) -> list[str]:
    """Make ``names`` the server's security groups: in its request spec (what its next
    ports get) and on the ports it has. Returns the ports changed."""
    group = models.SecurityGroup
    with session.transaction() as s:
        spec_row = s.scalars(sa.select(models.RequestSpec).filter_by(
            instance_uuid=instance_uuid)).one_or_none()
        if spec_row is not None:
            spec_row.spec = {**spec_row.spec, "security_groups": list(names)}
        ids = [sg_id for sg_id, name in s.execute(sa.select(group.id, group.name).where(
            group.project_id == project_id)) if name in names or sg_id in names]
        changed = []
        for port in s.scalars(sa.select(_Port).where(_Port.device_id == instance_uuid)):
            for bound in list(port.security_group_bindings):
                if bound.security_group_id not in ids:
                    port.security_group_bindings.remove(bound)
            current = {bound.security_group_id for bound in port.security_group_bindings}
            port.security_group_bindings.extend(
                models.SecurityGroupPortBinding(security_group_id=sg_id)
                for sg_id in ids if sg_id not in current)
            port.revision_number = (port.revision_number or 0) + 1
            changed.append(port.id)
        return changed
