"""Compute tables: flavors, instances and their history, keypairs, server groups,
aggregates, migrations, compute nodes and quotas, with Nova's semantics.

Instances are soft deleted (``deleted`` + ``deleted_at``) so os-instance-actions,
changes-since listings and the reaper still see them; their children go with the row
only when it is purged. Flavors, keypairs, groups and aggregates are deleted for real,
as in Nova's API database; an instance keeps a JSON snapshot of its flavor.
"""
import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from common.db.models.base import Base, TimestampMixin, new_uuid
from common.db.types import Timestamp, utcnow

NAME = 255
UUID = 36


def _fk(column: str) -> sa.ForeignKey:
    return sa.ForeignKey(column, ondelete="CASCADE")


class Flavor(TimestampMixin, Base):
    __tablename__ = "flavors"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    flavorid: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), unique=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), unique=True)
    vcpus: orm.Mapped[int]
    memory_mb: orm.Mapped[int]
    root_gb: orm.Mapped[int] = orm.mapped_column(default=0)
    ephemeral_gb: orm.Mapped[int] = orm.mapped_column(default=0)
    swap: orm.Mapped[int] = orm.mapped_column(default=0)  # MB, as in Nova
    rxtx_factor: orm.Mapped[float] = orm.mapped_column(sa.Double, default=1.0)
    is_public: orm.Mapped[bool] = orm.mapped_column(default=True)
    disabled: orm.Mapped[bool] = orm.mapped_column(default=False)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)

    extra_specs: orm.Mapped[list["FlavorExtraSpec"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)
    projects: orm.Mapped[list["FlavorProject"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)


class FlavorExtraSpec(Base):
    __tablename__ = "flavor_extra_specs"
    __table_args__ = (sa.UniqueConstraint("flavor_id", "key"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    flavor_id: orm.Mapped[int] = orm.mapped_column(_fk("flavors.id"))
    key: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    value: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))


class FlavorProject(Base):
    """A project that may use a private flavor (os-flavor-access)."""

    __tablename__ = "flavor_projects"
    __table_args__ = (sa.UniqueConstraint("flavor_id", "project_id"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    flavor_id: orm.Mapped[int] = orm.mapped_column(_fk("flavors.id"))
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))


class Instance(TimestampMixin, Base):
    """A server. ``flavor`` is the flavor it was built (or resized) with, as JSON."""

    __tablename__ = "instances"
    __table_args__ = (sa.Index("ix_instances_host_deleted", "host", "deleted"),
                      sa.Index("ix_instances_project_id_deleted", "project_id", "deleted"))

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(UUID), unique=True, default=new_uuid)
    display_name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    display_description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    user_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    hostname: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    reservation_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    launch_index: orm.Mapped[int] = orm.mapped_column(default=0)
    image_ref: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    # The image's metadata at boot (disk_format, properties such as kernel_id).
    image_meta: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)
    flavor_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), index=True)
    flavor: orm.Mapped[dict] = orm.mapped_column(sa.JSON)
    old_flavor: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    new_flavor: orm.Mapped[dict | None] = orm.mapped_column(sa.JSON)
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    node: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    availability_zone: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    vm_state: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    task_state: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    power_state: orm.Mapped[int] = orm.mapped_column(default=0)
    progress: orm.Mapped[int] = orm.mapped_column(default=0)
    launched_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(Timestamp)
    terminated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(Timestamp)
    key_name: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    key_data: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    user_data: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    config_drive: orm.Mapped[bool] = orm.mapped_column(default=False)
    access_ip_v4: orm.Mapped[str | None] = orm.mapped_column(sa.String(39))
    access_ip_v6: orm.Mapped[str | None] = orm.mapped_column(sa.String(39))
    locked: orm.Mapped[bool] = orm.mapped_column(default=False)
    locked_by: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))  # owner | admin
    locked_reason: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    # The networks asked for at create time ("none", "auto" or a list of {uuid, port, ...}).
    requested_networks: orm.Mapped[dict | list | str | None] = orm.mapped_column(sa.JSON)
    deleted: orm.Mapped[bool] = orm.mapped_column(default=False)
    deleted_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(Timestamp)

    metadata_items: orm.Mapped[list["InstanceMetadata"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)
    faults: orm.Mapped[list["InstanceFault"]] = orm.relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True,
        order_by="InstanceFault.id.desc()")


class InstanceMetadata(Base):
    __tablename__ = "instance_metadata"
    __table_args__ = (sa.UniqueConstraint("instance_uuid", "key"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    instance_uuid: orm.Mapped[str] = orm.mapped_column(sa.String(UUID), _fk("instances.uuid"))
    key: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    value: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))


class InstanceFault(Base):
    """Why an instance went to ERROR (or an action on it failed); the newest is shown."""

    __tablename__ = "instance_faults"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    instance_uuid: orm.Mapped[str] = orm.mapped_column(
        sa.String(UUID), _fk("instances.uuid"), index=True)
    code: orm.Mapped[int]
    message: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    details: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    created_at: orm.Mapped[datetime.datetime] = orm.mapped_column(Timestamp, default=utcnow)


class RequestSpec(Base):
    """What the instance asked the scheduler for, kept for reschedules and resizes."""

    __tablename__ = "request_specs"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    instance_uuid: orm.Mapped[str] = orm.mapped_column(
        sa.String(UUID), _fk("instances.uuid"), unique=True)
    spec: orm.Mapped[dict] = orm.mapped_column(sa.JSON)


class InstanceAction(TimestampMixin, Base):
    """One API action on an instance (os-instance-actions)."""

    __tablename__ = "instance_actions"
    __table_args__ = (sa.Index("ix_instance_actions_instance_uuid_request_id",
                               "instance_uuid", "request_id"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    action: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    instance_uuid: orm.Mapped[str] = orm.mapped_column(sa.String(UUID), _fk("instances.uuid"))
    request_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    start_time: orm.Mapped[datetime.datetime] = orm.mapped_column(Timestamp, default=utcnow)
    finish_time: orm.Mapped[datetime.datetime | None] = orm.mapped_column(Timestamp)
    message: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))

    events: orm.Mapped[list["InstanceActionEvent"]] = orm.relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True,
        order_by="InstanceActionEvent.id")


class InstanceActionEvent(TimestampMixin, Base):
    """A step of an action done by a service (compute_stop_instance, ...)."""

    __tablename__ = "instance_actions_events"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    action_id: orm.Mapped[int] = orm.mapped_column(_fk("instance_actions.id"), index=True)
    event: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    result: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    traceback: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    start_time: orm.Mapped[datetime.datetime] = orm.mapped_column(Timestamp, default=utcnow)
    finish_time: orm.Mapped[datetime.datetime | None] = orm.mapped_column(Timestamp)
    host: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    details: orm.Mapped[str | None] = orm.mapped_column(sa.Text)


class KeyPair(TimestampMixin, Base):
    __tablename__ = "key_pairs"
    __table_args__ = (sa.UniqueConstraint("user_id", "name"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    user_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    fingerprint: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    public_key: orm.Mapped[str] = orm.mapped_column(sa.Text)
    type: orm.Mapped[str] = orm.mapped_column(sa.String(10), default="ssh")  # ssh | x509


class ServerGroup(TimestampMixin, Base):
    """policy: affinity, anti-affinity, soft-affinity or soft-anti-affinity."""

    __tablename__ = "server_groups"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(UUID), unique=True, default=new_uuid)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    user_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), index=True)
    policy: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    rules: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)

    members: orm.Mapped[list["ServerGroupMember"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ServerGroupMember.id")


class ServerGroupMember(Base):
    """An instance belongs to at most one server group."""

    __tablename__ = "server_group_members"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    group_id: orm.Mapped[int] = orm.mapped_column(_fk("server_groups.id"), index=True)
    instance_uuid: orm.Mapped[str] = orm.mapped_column(sa.String(UUID), unique=True)


class Aggregate(TimestampMixin, Base):
    """A host aggregate; its ``availability_zone`` metadata makes it an AZ."""

    __tablename__ = "aggregates"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(UUID), unique=True, default=new_uuid)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), unique=True)

    hosts: orm.Mapped[list["AggregateHost"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True,
        order_by="AggregateHost.id")
    metadata_items: orm.Mapped[list["AggregateMetadata"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)


class AggregateHost(Base):
    __tablename__ = "aggregate_hosts"
    __table_args__ = (sa.UniqueConstraint("aggregate_id", "host"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    aggregate_id: orm.Mapped[int] = orm.mapped_column(_fk("aggregates.id"))
    host: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), index=True)


class AggregateMetadata(Base):
    __tablename__ = "aggregate_metadata"
    __table_args__ = (sa.UniqueConstraint("aggregate_id", "key"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    aggregate_id: orm.Mapped[int] = orm.mapped_column(_fk("aggregates.id"))
    key: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    value: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))


class Migration(TimestampMixin, Base):
    """A resize (or cold migration) of an instance from source to dest host.

    While it runs, the old flavor's resources are held by the migration's uuid as
    consumer, the new flavor's by the instance's (as Nova does with placement).
    """

    __tablename__ = "migrations"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(UUID), unique=True, default=new_uuid)
    instance_uuid: orm.Mapped[str] = orm.mapped_column(
        sa.String(UUID), _fk("instances.uuid"), index=True)
    migration_type: orm.Mapped[str] = orm.mapped_column(sa.String(16), default="resize")
    status: orm.Mapped[str] = orm.mapped_column(sa.String(32))
    source_compute: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    source_node: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    dest_compute: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    dest_node: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    old_flavor_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    new_flavor_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))


class ComputeNode(TimestampMixin, Base):
    """A hypervisor as its compute agent last described it (os-hypervisors); its
    capacity and usage are the resource provider of the same host."""

    __tablename__ = "compute_nodes"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(UUID), unique=True, default=new_uuid)
    host: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), unique=True)
    hypervisor_hostname: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    hypervisor_type: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    hypervisor_version: orm.Mapped[int] = orm.mapped_column(sa.BigInteger, default=0)
    cpu_info: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)
    vcpus: orm.Mapped[int] = orm.mapped_column(default=0)
    memory_mb: orm.Mapped[int] = orm.mapped_column(default=0)
    local_gb: orm.Mapped[int] = orm.mapped_column(default=0)
    host_ip: orm.Mapped[str | None] = orm.mapped_column(sa.String(39))


class Quota(TimestampMixin, Base):
    """A project's limit on one resource (instances, cores, ram, ...); -1 is unlimited."""

    __tablename__ = "quotas"
    __table_args__ = (sa.UniqueConstraint("project_id", "resource"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    hard_limit: orm.Mapped[int]


class QuotaLock(Base):
    """One row per project that has created servers: creates lock it (SELECT ... FOR
    UPDATE) to count and insert as one, so parallel creates never pass the quota."""

    __tablename__ = "quota_locks"

    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), primary_key=True)


class InstanceTag(Base):
    """A server tag (2.26): at most 50 per server, each up to 60 characters."""

    __tablename__ = "instance_tags"
    __table_args__ = (sa.UniqueConstraint("instance_uuid", "tag"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    instance_uuid: orm.Mapped[str] = orm.mapped_column(sa.String(UUID), _fk("instances.uuid"))
    tag: orm.Mapped[str] = orm.mapped_column(sa.String(60), index=True)
