"""The services registry table, and the HA monitor's fences of dead compute hosts."""
import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from common.db.models.base import Base, TimestampMixin, new_uuid
from common.db.types import Timestamp


class Service(TimestampMixin, Base):
    """One running service process kind on one host (host + binary is unique)."""

    __tablename__ = "services"
    __table_args__ = (sa.UniqueConstraint("host", "binary"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True, default=new_uuid)
    host: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    binary: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    topic: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    report_count: orm.Mapped[int] = orm.mapped_column(default=0)
    last_seen_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(Timestamp)
    disabled: orm.Mapped[bool] = orm.mapped_column(default=False)
    disabled_reason: orm.Mapped[str | None] = orm.mapped_column(sa.String(255))
    forced_down: orm.Mapped[bool] = orm.mapped_column(default=False)
    version: orm.Mapped[str] = orm.mapped_column(sa.String(64), default="")


class HostFence(Base):
    """A compute host the HA monitor fenced: the row is the claim (one conductor wins
    the insert), and stays until the host's agent is heard from again."""

    __tablename__ = "host_fences"

    host: orm.Mapped[str] = orm.mapped_column(sa.String(255), primary_key=True)
    fenced_at: orm.Mapped[datetime.datetime] = orm.mapped_column(Timestamp)
    fenced_by: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    outcome: orm.Mapped[str] = orm.mapped_column(sa.String(255), default="")


class ServiceLease(Base):
    """A job that one service of a kind runs at a time (the conductors' DRS pass): the
    holder renews the row before ``expires_at``; once it lapsed another may take it."""

    __tablename__ = "service_leases"

    name: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    holder: orm.Mapped[str] = orm.mapped_column(sa.String(255))
    expires_at: orm.Mapped[datetime.datetime] = orm.mapped_column(Timestamp)
