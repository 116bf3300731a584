"""Placement tables: resource providers (one per compute host), their inventories,
traits and the allocations consumers (instances, migrations) hold against them.

``generation`` changes on every inventory or allocation change of a provider; writers
bump it with a compare-and-swap, so concurrent claims on one provider serialize.
"""
import sqlalchemy as sa
from sqlalchemy import orm

from common.db.models.base import Base, TimestampMixin, new_uuid

NAME = 255


class ResourceProvider(TimestampMixin, Base):
    # Schedulers look for providers changed since their last look by updated_at.
    __tablename__ = "resource_providers"
    __table_args__ = (sa.Index("ix_resource_providers_updated_at", "updated_at"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    uuid: orm.Mapped[str] = orm.mapped_column(sa.String(36), unique=True, default=new_uuid)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), unique=True)  # the host
    generation: orm.Mapped[int] = orm.mapped_column(default=0)


class Inventory(Base):
    """How much of one resource class a provider has: capacity is
    (total - reserved) * allocation_ratio; one allocation is within min/max_unit."""

    __tablename__ = "inventories"
    __table_args__ = (sa.UniqueConstraint("resource_provider_id", "resource_class"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    resource_provider_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("resource_providers.id", ondelete="CASCADE"))
    resource_class: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    total: orm.Mapped[int]
    reserved: orm.Mapped[int] = orm.mapped_column(default=0)
    min_unit: orm.Mapped[int] = orm.mapped_column(default=1)
    max_unit: orm.Mapped[int]
    step_size: orm.Mapped[int] = orm.mapped_column(default=1)
    allocation_ratio: orm.Mapped[float] = orm.mapped_column(sa.Double, default=1.0)


class ResourceProviderTrait(Base):
    """A capability of a provider (HW_ARCH_X86_64, CUSTOM_HYPERVISOR_QEMU, ...)."""

    __tablename__ = "resource_provider_traits"

    # Named by hand: the conventional name is longer than MariaDB's 64 characters.
    resource_provider_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("resource_providers.id", ondelete="CASCADE",
                      name="fk_resource_provider_traits_provider"), primary_key=True)
    trait: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), primary_key=True)


class Allocation(Base):
    """``used`` units of a resource class a consumer holds on a provider.

    A provider with allocations cannot be deleted (no cascade).
    """

    __tablename__ = "allocations"
    __table_args__ = (sa.UniqueConstraint("resource_provider_id", "consumer_id",
                                          "resource_class"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    resource_provider_id: orm.Mapped[int] = orm.mapped_column(
        sa.ForeignKey("resource_providers.id"))
    consumer_id: orm.Mapped[str] = orm.mapped_column(sa.String(36), index=True)
    resource_class: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))
    used: orm.Mapped[int]
