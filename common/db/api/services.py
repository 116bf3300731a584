"""The services registry: heartbeats, listing, enabling and deleting services."""
import dataclasses
import datetime
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from common import context, exceptions
from common.config import CONF
from common.db import models, session
from common.db.api.records import from_row
from common.db.types import utcnow


@dataclasses.dataclass(frozen=True)
class ServiceRecord:
    """A service's row as its callers read it, out of its session."""

    id: int
    uuid: str
    host: str
    binary: str
    topic: str
    version: str
    report_count: int
    last_seen_at: datetime.datetime | None
    disabled: bool
    disabled_reason: str | None
    forced_down: bool
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def heartbeat(ctxt: context.RequestContext, host: str, binary: str, topic: str,
              version: str) -> ServiceRecord:
    """Record that ``binary`` on ``host`` is alive, creating its row the first time."""
    for _attempt in range(3):
        try:
            with session.transaction() as s:
                service = s.scalars(sa.select(models.Service).filter_by(
                    host=host, binary=binary)).one_or_none()
                if service is None:
                    service = models.Service(host=host, binary=binary, topic=topic)
                    s.add(service)
                service.topic = topic
                service.version = version
                service.report_count = (service.report_count or 0) + 1
                service.last_seen_at = utcnow()
                s.flush()
                return from_row(ServiceRecord, service)
        except sa_exc.IntegrityError:
            continue  # another process inserted the same (host, binary) first
    raise exceptions.Conflict(f"could not record heartbeat of {binary} on {host}")


def list_services(ctxt: context.RequestContext, binary: str | None = None,
                  host: str | None = None) -> list[ServiceRecord]:
    query = sa.select(models.Service).order_by(models.Service.id)
    if binary:
        query = query.filter_by(binary=binary)
    if host:
        query = query.filter_by(host=host)
    with session.reader() as s:
        return [from_row(ServiceRecord, row) for row in s.scalars(query)]


def get(ctxt: context.RequestContext, service_id: str) -> ServiceRecord:
    with session.reader() as s:
        service = s.scalars(sa.select(models.Service).filter_by(uuid=service_id)).one_or_none()
        if service is None:
            raise exceptions.ServiceNotFound(service_id=service_id)
        return from_row(ServiceRecord, service)


def update(ctxt: context.RequestContext, service_id: str, **values: Any) -> ServiceRecord:
    with session.transaction() as s:
        service = s.scalars(sa.select(models.Service).filter_by(uuid=service_id)).one_or_none()
        if service is None:
            raise exceptions.ServiceNotFound(service_id=service_id)
        for key, value in values.items():
            setattr(service, key, value)
        s.flush()
        return from_row(ServiceRecord, service)


def delete(ctxt: context.RequestContext, service_id: str) -> None:
    with session.transaction() as s:
        deleted = session.rowcount(s.execute(sa.delete(models.Service).filter_by(uuid=service_id)))
    if not deleted:
        raise exceptions.ServiceNotFound(service_id=service_id)


class Heartbeating(Protocol):
    """What telling up from down needs: a ServiceRecord, or compute_hosts' bulk rows."""

    @property
    def forced_down(self) -> bool: ...

    @property
    def last_seen_at(self) -> datetime.datetime | None: ...


def is_up(service: Heartbeating, now: datetime.datetime | None = None) -> bool:
    """Up when not forced down and the last heartbeat is within ``service_down_time``."""
    if service.forced_down or service.last_seen_at is None:
        return False
    age = (now or utcnow()) - service.last_seen_at
    return age.total_seconds() <= CONF.service_down_time
