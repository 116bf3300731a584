"""Host aggregates (os-aggregates); the ``availability_zone`` metadata key makes one an AZ.

Callers that change aggregates should tell the schedulers (scheduler rpcapi
``sync_host_metadata``) so filters see the change at once.
"""
import dataclasses
import datetime
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api.compute_hosts import AZ_KEY
from common.db.api.records import from_row
from common.db.types import utcnow

Aggregate = models.Aggregate
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class AggregateRecord:
    id: int
    uuid: str
    name: str
    hosts: list[str]
    metadata: dict[str, str]
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None

    @property
    def availability_zone(self) -> str | None:
        return self.metadata.get(AZ_KEY)


def _record(aggregate: Aggregate) -> AggregateRecord:
    return from_row(AggregateRecord, aggregate, hosts=_hosts(aggregate),
                    metadata=_metadata(aggregate))


def _load(s: orm.Session, aggregate_id: int) -> Aggregate:
    aggregate = s.get(Aggregate, aggregate_id)
    if aggregate is None:
        raise exceptions.AggregateNotFound(aggregate_id=aggregate_id)
    return aggregate


def _metadata(aggregate: Aggregate) -> dict[str, str]:
    return {item.key: item.value for item in aggregate.metadata_items}


def _hosts(aggregate: Aggregate) -> list[str]:
    return [item.host for item in aggregate.hosts]


def create(ctxt: Context, name: str, availability_zone: str | None = None) -> AggregateRecord:
    try:
        with session.transaction() as s:
            aggregate = Aggregate(name=name, hosts=[], metadata_items=[])
            if availability_zone:
                aggregate.metadata_items = [models.AggregateMetadata(
                    key=AZ_KEY, value=availability_zone)]
            s.add(aggregate)
            s.flush()
            return _record(aggregate)
    except sa_exc.IntegrityError as error:
        raise exceptions.AggregateNameExists(name=name) from error


def get(ctxt: Context, aggregate_id: int) -> AggregateRecord:
    with session.reader() as s:
        return _record(_load(s, aggregate_id))


def list_aggregates(ctxt: Context) -> list[AggregateRecord]:
    with session.reader() as s:
        return [_record(aggregate)
                for aggregate in s.scalars(sa.select(Aggregate).order_by(Aggregate.id))]


def update(ctxt: Context, aggregate_id: int, name: str | None = None,
           availability_zone: str | None = None) -> AggregateRecord:
    try:
        with session.transaction() as s:
            aggregate = _load(s, aggregate_id)
            if name is not None:
                aggregate.name = name
            aggregate.updated_at = utcnow()
            if availability_zone is not None:
                _check_az_of_hosts(s, aggregate, availability_zone)
                _set_metadata(s, aggregate, {AZ_KEY: availability_zone})
            s.flush()
            return _record(aggregate)
    except sa_exc.IntegrityError as error:
        raise exceptions.AggregateNameExists(name=name) from error


def delete(ctxt: Context, aggregate_id: int) -> None:
    with session.transaction() as s:
        aggregate = _load(s, aggregate_id)
        if aggregate.hosts:
            raise exceptions.AggregateInUse(aggregate_id=aggregate_id)
        s.delete(aggregate)


def _zones_of_host(s: orm.Session, host: str, but: int) -> set[str]:
    return set(s.scalars(
        sa.select(models.AggregateMetadata.value)
        .join(models.AggregateHost,
              models.AggregateHost.aggregate_id == models.AggregateMetadata.aggregate_id)
        .where(models.AggregateHost.host == host, models.AggregateMetadata.key == AZ_KEY,
               models.AggregateHost.aggregate_id != but)))


def _check_az_of_hosts(s: orm.Session, aggregate: Aggregate, zone: str) -> None:
    """A host is in one availability zone at most (Nova refuses a second one)."""
    for host in _hosts(aggregate):
        other = _zones_of_host(s, host, aggregate.id) - {zone}
        if other:
            raise exceptions.AvailabilityZoneConflict(host=host, aggregate_id=aggregate.id,
                                                      zone=sorted(other)[0])


def add_host(ctxt: Context, aggregate_id: int, host: str) -> AggregateRecord:
    with session.transaction() as s:
        aggregate = _load(s, aggregate_id)
        if host in _hosts(aggregate):
            raise exceptions.AggregateHostExists(aggregate_id=aggregate_id, host=host)
        zone = _metadata(aggregate).get(AZ_KEY)
        other = _zones_of_host(s, host, aggregate.id) - {zone} if zone else set()
        if other:
            raise exceptions.AvailabilityZoneConflict(host=host, aggregate_id=aggregate_id,
                                                      zone=sorted(other)[0])
        aggregate.hosts.append(models.AggregateHost(host=host))
        aggregate.updated_at = utcnow()
        s.flush()
        return _record(aggregate)


def remove_host(ctxt: Context, aggregate_id: int, host: str) -> AggregateRecord:
    with session.transaction() as s:
        aggregate = _load(s, aggregate_id)
        for item in aggregate.hosts:
            if item.host == host:
                aggregate.hosts.remove(item)
                aggregate.updated_at = utcnow()
                s.flush()
                return _record(aggregate)
    raise exceptions.AggregateHostNotFound(aggregate_id=aggregate_id, host=host)


def set_metadata(ctxt: Context, aggregate_id: int,
                 values: Mapping[str, str | None]) -> AggregateRecord:
    """Add or change metadata keys; a None value removes the key (os-aggregates)."""
    with session.transaction() as s:
        aggregate = _load(s, aggregate_id)
        zone = values.get(AZ_KEY)
        if zone:
            _check_az_of_hosts(s, aggregate, zone)
        _set_metadata(s, aggregate, values)
        aggregate.updated_at = utcnow()
        s.flush()
        return _record(aggregate)


def _set_metadata(s: orm.Session, aggregate: Aggregate,
                  values: Mapping[str, str | None]) -> None:
    current = {item.key: item for item in aggregate.metadata_items}
    for key, value in values.items():
        if value is None:
            if key in current:
                aggregate.metadata_items.remove(current[key])
        elif key in current:
            current[key].value = value
        else:
            aggregate.metadata_items.append(models.AggregateMetadata(key=key, value=value))
    s.flush()
