"""DNS tables: zones, recordsets and their records, TLDs, internal names, quotas, zone
shares and zone import tasks.

Names are stored lower case, fully qualified with the trailing dot (``www.example.org.``);
TLD names without it (``org``), as Designate shows them.

A zone's ``type`` is PRIMARY (records from the DB), SECONDARY (records pulled by AXFR
from ``masters``) or FORWARD (not served from data at all: the built-in server forwards
every query under the zone to ``masters``, a list of ``address:port`` resolvers).
"""
import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from common.db.models.base import Base, TimestampMixin, new_uuid
from common.db.types import Timestamp

ID = 36
PROJECT_ID = 64
NAME = 255
ENUM = 16
DESCRIPTION = 160

# zone.status / recordset.status and .action, as Designate reports them
PENDING, ACTIVE, ERROR = "PENDING", "ACTIVE", "ERROR"
# zone import task status
COMPLETE = "COMPLETE"
CREATE, UPDATE, DELETE, NONE = "CREATE", "UPDATE", "DELETE", "NONE"
# zone.type
PRIMARY, SECONDARY, FORWARD = "PRIMARY", "SECONDARY", "FORWARD"


class DNSZone(TimestampMixin, Base):
    """A zone; ``serial`` grows on every change of the zone or one of its recordsets."""

    __tablename__ = "dns_zones"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(ID), primary_key=True,
                                            default=new_uuid)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(PROJECT_ID), index=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), unique=True)
    email: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    ttl: orm.Mapped[int]
    # SOA serials are unsigned 32-bit: beyond a signed INTEGER.
    serial: orm.Mapped[int] = orm.mapped_column(sa.BigInteger)
    refresh: orm.Mapped[int]
    retry: orm.Mapped[int]
    expire: orm.Mapped[int]
    minimum: orm.Mapped[int]
    status: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM), default=PENDING)
    action: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM), default=CREATE)
    type: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM), default=PRIMARY)
    masters: orm.Mapped[list] = orm.mapped_column(sa.JSON, default=list)
    attributes: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.String(DESCRIPTION))
    pool_id: orm.Mapped[str] = orm.mapped_column(sa.String(ID))
    version: orm.Mapped[int] = orm.mapped_column(default=1)
    transferred_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(Timestamp)
    shared: orm.Mapped[bool] = orm.mapped_column(default=False)

    recordsets: orm.Mapped[list["DNSRecordSet"]] = orm.relationship(
        back_populates="zone", cascade="all, delete-orphan", passive_deletes=True)


class DNSRecordSet(TimestampMixin, Base):
    """All records of one name and type in a zone.

    ``managed`` recordsets are Strato's own: the zone's SOA and NS, and the A/AAAA/PTR
    records that follow ports and floating IPs (``managed_resource_type``/``_id``).
    """

    __tablename__ = "dns_recordsets"
    __table_args__ = (sa.UniqueConstraint("zone_id", "name", "type"),)

    id: orm.Mapped[str] = orm.mapped_column(sa.String(ID), primary_key=True,
                                            default=new_uuid)
    zone_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("dns_zones.id", ondelete="CASCADE"), index=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(PROJECT_ID))
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    type: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM))
    ttl: orm.Mapped[int | None]
    description: orm.Mapped[str | None] = orm.mapped_column(sa.String(DESCRIPTION))
    status: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM), default=PENDING)
    action: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM), default=CREATE)
    version: orm.Mapped[int] = orm.mapped_column(default=1)
    managed: orm.Mapped[bool] = orm.mapped_column(default=False)
    managed_resource_type: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    managed_resource_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(ID),
                                                                    index=True)

    # Loaded with the recordset: the API shows zone_name after the session has closed.
    zone: orm.Mapped[DNSZone] = orm.relationship(back_populates="recordsets", lazy="joined")
    records: orm.Mapped[list["DNSRecord"]] = orm.relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin",
        order_by="DNSRecord.position")


class DNSRecord(Base):
    """One record of a recordset, as the user wrote it (``data``)."""

    __tablename__ = "dns_records"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(ID), primary_key=True,
                                            default=new_uuid)
    recordset_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("dns_recordsets.id", ondelete="CASCADE"), index=True)
    # Keeps the order in which the user listed the records.
    position: orm.Mapped[int] = orm.mapped_column(default=0)
    data: orm.Mapped[str] = orm.mapped_column(sa.Text)


class DNSTld(TimestampMixin, Base):
    """A top-level domain; once any exists, every zone must end in one."""

    __tablename__ = "dns_tlds"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(ID), primary_key=True,
                                            default=new_uuid)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), unique=True)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.String(DESCRIPTION))


class DNSInternalName(TimestampMixin, Base):
    """A name an admin declares internal (``universe.local.`` -> addresses).

    OVN answers it inside tenant networks: inside ``network_id`` only, or inside every
    network when ``network_id`` is null.
    """

    __tablename__ = "dns_internal_names"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(ID), primary_key=True,
                                            default=new_uuid)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), index=True)
    network_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(ID), index=True)
    addresses: orm.Mapped[list] = orm.mapped_column(sa.JSON, default=list)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.String(DESCRIPTION))


class DNSQuota(TimestampMixin, Base):
    """A project's limit on one DNS resource, overriding the [dns] quota_* default."""

    __tablename__ = "dns_quotas"
    __table_args__ = (sa.UniqueConstraint("project_id", "resource"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(PROJECT_ID))
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(64))
    hard_limit: orm.Mapped[int]


class DNSZoneShare(TimestampMixin, Base):
    """A zone shared by its owner (``project_id``) with ``target_project_id``, which may
    then see the zone and manage recordsets in it (API 2.1)."""

    __tablename__ = "dns_zone_shares"
    __table_args__ = (sa.UniqueConstraint("zone_id", "target_project_id"),)

    id: orm.Mapped[str] = orm.mapped_column(sa.String(ID), primary_key=True,
                                            default=new_uuid)
    zone_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("dns_zones.id", ondelete="CASCADE"))
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(PROJECT_ID))
    target_project_id: orm.Mapped[str] = orm.mapped_column(sa.String(PROJECT_ID),
                                                           index=True)


class DNSZoneImport(TimestampMixin, Base):
    """A zone-file import task: PENDING, then COMPLETE with the new ``zone_id`` or
    ERROR with a ``message``."""

    __tablename__ = "dns_zone_imports"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(ID), primary_key=True,
                                            default=new_uuid)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(PROJECT_ID), index=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM), default=PENDING)
    message: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    zone_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(ID))
    version: orm.Mapped[int] = orm.mapped_column(default=1)
