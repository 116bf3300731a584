"""Compute hosts as the scheduler and the API see them: service state, aggregates,
availability zones, hypervisor descriptions (compute nodes). Bulk reads, a constant
number of queries whatever the host count."""
import dataclasses
import datetime
from typing import cast

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from common import context, exceptions
from common.config import CONF
from common.db import models, session
from common.db.api.records import from_row

COMPUTE_BINARY = "strato-compute"
AZ_KEY = "availability_zone"
Context = context.RequestContext

_svc = cast(sa.Table, models.Service.__table__)
_agg = cast(sa.Table, models.Aggregate.__table__)
_agg_hosts = cast(sa.Table, models.AggregateHost.__table__)
_agg_meta = cast(sa.Table, models.AggregateMetadata.__table__)


@dataclasses.dataclass(frozen=True)
class ComputeService:
    host: str
    disabled: bool
    forced_down: bool
    last_seen_at: datetime.datetime | None


def compute_services(ctxt: Context) -> dict[str, ComputeService]:
    """{host: its compute service} in one query."""
    query = sa.select(_svc.c.host, _svc.c.disabled, _svc.c.forced_down,
                      _svc.c.last_seen_at).where(_svc.c.binary == COMPUTE_BINARY)
    with session.get_engine().connect() as connection:
        return {row.host: ComputeService(*row) for row in connection.execute(query)}


@dataclasses.dataclass
class HostAggregates:
    """What aggregates say about one host: its AZ and the union of their metadata."""

    availability_zone: str
    aggregate_ids: set[int] = dataclasses.field(default_factory=set)
    metadata: dict[str, set[str]] = dataclasses.field(default_factory=dict)


def aggregates_by_host(ctxt: Context) -> dict[str, HostAggregates]:
    """{host: HostAggregates} for every host in an aggregate, in two queries.

    A host in no aggregate is in ``[compute] default_availability_zone``.
    """
    default_az = CONF.compute.default_availability_zone
    with session.get_engine().connect() as connection:
        metadata: dict[int, dict[str, str]] = {}
        for aggregate_id, key, value in connection.execute(
                sa.select(_agg_meta.c.aggregate_id, _agg_meta.c.key, _agg_meta.c.value)):
            metadata.setdefault(aggregate_id, {})[key] = value
        hosts = connection.execute(sa.select(_agg_hosts.c.aggregate_id, _agg_hosts.c.host)
                                   .order_by(_agg_hosts.c.aggregate_id)).all()
    result: dict[str, HostAggregates] = {}
    for aggregate_id, host in hosts:
        entry = result.setdefault(host, HostAggregates(default_az))
        entry.aggregate_ids.add(aggregate_id)
        for key, value in metadata.get(aggregate_id, {}).items():
            entry.metadata.setdefault(key, set()).add(value)
            if key == AZ_KEY:
                entry.availability_zone = value
    return result


def availability_zone_of(ctxt: Context, host: str | None) -> str:
    """The AZ of one host (default AZ when it is in none)."""
    if host is None:
        return CONF.compute.default_availability_zone
    query = (sa.select(_agg_meta.c.value)
             .join(_agg_hosts, _agg_hosts.c.aggregate_id == _agg_meta.c.aggregate_id)
             .where(_agg_hosts.c.host == host, _agg_meta.c.key == AZ_KEY).limit(1))
    with session.get_engine().connect() as connection:
        zone = connection.execute(query).scalar()
    return zone or CONF.compute.default_availability_zone


def availability_zones(ctxt: Context) -> dict[str, set[str]]:
    """{zone: hosts} of every compute service (os-availability-zone detail)."""
    zones: dict[str, set[str]] = {}
    by_host = aggregates_by_host(ctxt)
    for host in compute_services(ctxt):
        entry = by_host.get(host)
        zone = entry.availability_zone if entry else CONF.compute.default_availability_zone
        zones.setdefault(zone, set()).add(host)
    return zones


@dataclasses.dataclass(frozen=True)
class NodeRecord:
    """A hypervisor as its agent last described it (os-hypervisors)."""

    id: int
    uuid: str
    host: str
    hypervisor_hostname: str
    hypervisor_type: str
    hypervisor_version: int
    cpu_info: dict
    vcpus: int
    memory_mb: int
    local_gb: int
    host_ip: str | None


def _node(row: models.ComputeNode) -> NodeRecord:
    return from_row(NodeRecord, row, cpu_info=dict(row.cpu_info or {}))


_NODE_FIELDS = ("hypervisor_hostname", "hypervisor_type", "hypervisor_version", "cpu_info",
                "vcpus", "memory_mb", "local_gb", "host_ip")


def update_node(ctxt: Context, host: str, info: dict) -> None:
    """Record what the agent of ``host`` says its hypervisor is (keys _NODE_FIELDS)."""
    values = {key: info[key] for key in _NODE_FIELDS if key in info}
    node = models.ComputeNode
    for _attempt in range(3):
        try:
            with session.transaction() as s:
                row = s.scalars(sa.select(node).filter_by(host=host)).one_or_none()
                if row is None:
                    s.add(node(host=host, **values))
                else:
                    for key, value in values.items():
                        setattr(row, key, value)
                return
        except sa_exc.IntegrityError:
            continue  # created by a concurrent report of the same host
    raise exceptions.Conflict(f"could not record the compute node of {host}")


def list_nodes(ctxt: Context) -> list[NodeRecord]:
    with session.reader() as s:
        return [_node(row) for row in s.scalars(
            sa.select(models.ComputeNode).order_by(models.ComputeNode.id))]


def get_node(ctxt: Context, node_id: str) -> NodeRecord:
    """A compute node by uuid (os-hypervisors ids from 2.53) or host name."""
    node = models.ComputeNode
    with session.reader() as s:
        row = s.scalars(sa.select(node).where(
            sa.or_(node.uuid == node_id, node.host == node_id))).first()
        if row is None:
            raise exceptions.NotFound(f"Hypervisor {node_id} could not be found.")
        return _node(row)


def delete_node(ctxt: Context, host: str) -> None:
    with session.transaction() as s:
        s.execute(sa.delete(models.ComputeNode).filter_by(host=host))


def host_ips(ctxt: Context) -> dict[str, str | None]:
    """{host: the address its agent reported} in one query."""
    node = models.ComputeNode
    with session.reader() as s:
        return dict(s.execute(sa.select(node.host, node.host_ip)).all())
