"""The services registry: heartbeats, listing, enabling and deleting services."""
import datetime

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc

from common import exceptions
from common.config import CONF
from common.db import models, session
from common.db.types import utcnow


def heartbeat(host: str, binary: str, topic: str, version: str) -> models.Service:
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
                return service
        except sa_exc.IntegrityError:
            continue  # another process inserted the same (host, binary) first
    raise exceptions.Conflict(f"could not record heartbeat of {binary} on {host}")


def list_services(binary: str | None = None, host: str | None = None) -> list[models.Service]:
    query = sa.select(models.Service).order_by(models.Service.id)
    if binary:
        query = query.filter_by(binary=binary)
    if host:
        query = query.filter_by(host=host)
    with session.reader() as s:
        return list(s.scalars(query))


def get(service_id: str) -> models.Service:
    with session.reader() as s:
        service = s.scalars(sa.select(models.Service).filter_by(uuid=service_id)).one_or_none()
    if service is None:
        raise exceptions.ServiceNotFound(service_id=service_id)
    return service


def update(service_id: str, **values: object) -> models.Service:
    with session.transaction() as s:
        service = s.scalars(sa.select(models.Service).filter_by(uuid=service_id)).one_or_none()
        if service is None:
            raise exceptions.ServiceNotFound(service_id=service_id)
        for key, value in values.items():
            setattr(service, key, value)
        return service


def delete(service_id: str) -> None:
    with session.transaction() as s:
        deleted = session.rowcount(s.execute(sa.delete(models.Service).filter_by(uuid=service_id)))
    if not deleted:
        raise exceptions.ServiceNotFound(service_id=service_id)


def is_up(service: models.Service, now: datetime.datetime | None = None) -> bool:
    """Up when not forced down and the last heartbeat is within ``service_down_time``."""
    if service.forced_down or service.last_seen_at is None:
        return False
    age = (now or utcnow()) - service.last_seen_at
    return age.total_seconds() <= CONF.service_down_time
