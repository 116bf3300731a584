"""Host aggregates (os-aggregates); the ``availability_zone`` metadata key makes one an AZ.

Callers that change aggregates should tell the schedulers (scheduler rpcapi
``sync_host_metadata``) so filters see the change at once.
"""
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import exceptions
from common.db import models, session
from common.db.api.compute_hosts import AZ_KEY
from common.db.types import utcnow

Aggregate = models.Aggregate


def _load(s: orm.Session, aggregate_id: int) -> Aggregate:
    aggregate = s.get(Aggregate, aggregate_id)
    if aggregate is None:
        raise exceptions.AggregateNotFound(aggregate_id=aggregate_id)
    return aggregate


def metadata(aggregate: Aggregate) -> dict[str, str]:
    return {item.key: item.value for item in aggregate.metadata_items}


def hosts(aggregate: Aggregate) -> list[str]:
    return [item.host for item in aggregate.hosts]


def create(name: str, availability_zone: str | None = None) -> Aggregate:
    try:
        with session.transaction() as s:
            aggregate = Aggregate(name=name, hosts=[], metadata_items=[])
            if availability_zone:
                aggregate.metadata_items = [models.AggregateMetadata(
                    key=AZ_KEY, value=availability_zone)]
            s.add(aggregate)
            return aggregate
    except sa_exc.IntegrityError as error:
        raise exceptions.AggregateNameExists(name=name) from error


def get(aggregate_id: int) -> Aggregate:
    with session.reader() as s:
        return _load(s, aggregate_id)


def list_aggregates() -> list[Aggregate]:
    with session.reader() as s:
        return list(s.scalars(sa.select(Aggregate).order_by(Aggregate.id)))


def update(aggregate_id: int, name: str | None = None,
           availability_zone: str | None = None) -> Aggregate:
    try:
        with session.transaction() as s:
            aggregate = _load(s, aggregate_id)
            if name is not None:
                aggregate.name = name
            aggregate.updated_at = utcnow()
            if availability_zone is not None:
                _check_az_of_hosts(s, aggregate, availability_zone)
                _set_metadata(s, aggregate, {AZ_KEY: availability_zone})
            return aggregate
    except sa_exc.IntegrityError as error:
        raise exceptions.AggregateNameExists(name=name) from error


def delete(aggregate_id: int) -> None:
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
    for host in hosts(aggregate):
        other = _zones_of_host(s, host, aggregate.id) - {zone}
        if other:
            raise exceptions.AvailabilityZoneConflict(host=host, aggregate_id=aggregate.id,
                                                      zone=sorted(other)[0])


def add_host(aggregate_id: int, host: str) -> Aggregate:
    with session.transaction() as s:
        aggregate = _load(s, aggregate_id)
        if host in hosts(aggregate):
            raise exceptions.AggregateHostExists(aggregate_id=aggregate_id, host=host)
        zone = metadata(aggregate).get(AZ_KEY)
        other = _zones_of_host(s, host, aggregate.id) - {zone} if zone else set()
        if other:
            raise exceptions.AvailabilityZoneConflict(host=host, aggregate_id=aggregate_id,
                                                      zone=sorted(other)[0])
        aggregate.hosts.append(models.AggregateHost(host=host))
        aggregate.updated_at = utcnow()
        s.flush()
        return aggregate


def remove_host(aggregate_id: int, host: str) -> Aggregate:
    with session.transaction() as s:
        aggregate = _load(s, aggregate_id)
        for item in aggregate.hosts:
            if item.host == host:
                aggregate.hosts.remove(item)
                aggregate.updated_at = utcnow()
                s.flush()
                return aggregate
    raise exceptions.AggregateHostNotFound(aggregate_id=aggregate_id, host=host)


def set_metadata(aggregate_id: int, values: Mapping[str, str | None]) -> Aggregate:
    """Add or change metadata keys; a None value removes the key (os-aggregates)."""
    with session.transaction() as s:
        aggregate = _load(s, aggregate_id)
        zone = values.get(AZ_KEY)
        if zone:
            _check_az_of_hosts(s, aggregate, zone)
        _set_metadata(s, aggregate, values)
        aggregate.updated_at = utcnow()
        s.flush()
        return aggregate


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
