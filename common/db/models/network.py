"""Networking tables, with Neutron's semantics: networks, subnets, ports with their fixed IPs,
routers, floating IPs, security groups, tags and quotas.

Addresses are stored as text in their canonical form (netaddr's str()). The IPAM
concurrency guard is ``ip_allocations``' UNIQUE(subnet_id, ip_address): two requests
that pick the same free address cannot both commit, the loser retries.
"""
import sqlalchemy as sa
from sqlalchemy import orm

from common.db.models.base import Base, TimestampMixin, new_uuid

ID = 36
PROJECT_ID = 255
NAME = 255
DESCRIPTION = 255
ENUM = 16
IP = 64
MAC = 32
DEVICE = 255

# port.status and network.status
ACTIVE, DOWN, BUILD, ERROR = "ACTIVE", "DOWN", "BUILD", "ERROR"


class StandardAttrs(TimestampMixin):
    """Columns every top-level networking resource has (Neutron's standard attributes)."""

    id: orm.Mapped[str] = orm.mapped_column(sa.String(ID), primary_key=True, default=new_uuid)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(PROJECT_ID), index=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.String(DESCRIPTION), default="")
    revision_number: orm.Mapped[int] = orm.mapped_column(sa.BigInteger, default=0)


class Network(StandardAttrs, Base):
    """An L2 network. ``segment_key`` folds type, physical network and segmentation id into
    one non-null value, because NULLs never collide in a UNIQUE: it makes a VLAN id (or the
    one flat network) per physical network, and a Geneve VNI, unique."""

    __tablename__ = "networks"

    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    admin_state_up: orm.Mapped[bool] = orm.mapped_column(default=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM), default=ACTIVE)
    shared: orm.Mapped[bool] = orm.mapped_column(default=False)
    external: orm.Mapped[bool] = orm.mapped_column(default=False)
    network_type: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM))
    physical_network: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    segmentation_id: orm.Mapped[int | None]
    segment_key: orm.Mapped[str] = orm.mapped_column(sa.String(100), unique=True)
    mtu: orm.Mapped[int]
    dns_domain: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    port_security_enabled: orm.Mapped[bool] = orm.mapped_column(default=True)

    subnets: orm.Mapped[list["Subnet"]] = orm.relationship(
        back_populates="network", lazy="selectin", cascade="all, delete-orphan",
        passive_deletes=True, order_by="Subnet.created_at")


class Subnet(StandardAttrs, Base):
    __tablename__ = "subnets"

    network_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("networks.id", ondelete="CASCADE"), index=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    ip_version: orm.Mapped[int]
    cidr: orm.Mapped[str] = orm.mapped_column(sa.String(IP))
    gateway_ip: orm.Mapped[str | None] = orm.mapped_column(sa.String(IP))
    enable_dhcp: orm.Mapped[bool] = orm.mapped_column(default=True)
    ipv6_ra_mode: orm.Mapped[str | None] = orm.mapped_column(sa.String(ENUM))
    ipv6_address_mode: orm.Mapped[str | None] = orm.mapped_column(sa.String(ENUM))

    network: orm.Mapped[Network] = orm.relationship(back_populates="subnets")
    allocation_pools: orm.Mapped[list["AllocationPool"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True,
        order_by="AllocationPool.id")
    dns_nameservers: orm.Mapped[list["DnsNameserver"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True,
        order_by="DnsNameserver.order")
    host_routes: orm.Mapped[list["HostRoute"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)


class AllocationPool(Base):
    __tablename__ = "subnet_allocation_pools"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    subnet_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("subnets.id", ondelete="CASCADE"), index=True)
    first_ip: orm.Mapped[str] = orm.mapped_column(sa.String(IP))
    last_ip: orm.Mapped[str] = orm.mapped_column(sa.String(IP))


class DnsNameserver(Base):
    __tablename__ = "subnet_dns_nameservers"

    subnet_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("subnets.id", ondelete="CASCADE"), primary_key=True)
    address: orm.Mapped[str] = orm.mapped_column(sa.String(IP), primary_key=True)
    order: orm.Mapped[int]


class HostRoute(Base):
    __tablename__ = "subnet_host_routes"

    subnet_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("subnets.id", ondelete="CASCADE"), primary_key=True)
    destination: orm.Mapped[str] = orm.mapped_column(sa.String(IP), primary_key=True)
    nexthop: orm.Mapped[str] = orm.mapped_column(sa.String(IP), primary_key=True)


class Port(StandardAttrs, Base):
    __tablename__ = "ports"
    __table_args__ = (sa.UniqueConstraint("network_id", "mac_address"),)

    network_id: orm.Mapped[str] = orm.mapped_column(sa.ForeignKey("networks.id"), index=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    mac_address: orm.Mapped[str] = orm.mapped_column(sa.String(MAC))
    admin_state_up: orm.Mapped[bool] = orm.mapped_column(default=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM), default=DOWN)
    device_id: orm.Mapped[str] = orm.mapped_column(sa.String(DEVICE), default="", index=True)
    device_owner: orm.Mapped[str] = orm.mapped_column(sa.String(DEVICE), default="")
    binding_host_id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    binding_vif_type: orm.Mapped[str] = orm.mapped_column(sa.String(64), default="unbound")
    binding_vnic_type: orm.Mapped[str] = orm.mapped_column(sa.String(64), default="normal")
    binding_profile: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)
    port_security_enabled: orm.Mapped[bool] = orm.mapped_column(default=True)
    dns_name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")

    fixed_ips: orm.Mapped[list["IPAllocation"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True,
        order_by="IPAllocation.id")
    allowed_address_pairs: orm.Mapped[list["AllowedAddressPair"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)
    security_group_bindings: orm.Mapped[list["SecurityGroupPortBinding"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)


class IPAllocation(Base):
    """One fixed IP of a port: the table the IPAM allocates from."""

    __tablename__ = "ip_allocations"
    __table_args__ = (sa.UniqueConstraint("subnet_id", "ip_address"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    port_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("ports.id", ondelete="CASCADE"), index=True)
    # No cascade: a subnet with allocations cannot go (SubnetInUse).
    subnet_id: orm.Mapped[str] = orm.mapped_column(sa.ForeignKey("subnets.id"))
    ip_address: orm.Mapped[str] = orm.mapped_column(sa.String(IP))


class AllowedAddressPair(Base):
    __tablename__ = "port_allowed_address_pairs"

    port_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("ports.id", ondelete="CASCADE"), primary_key=True)
    mac_address: orm.Mapped[str] = orm.mapped_column(sa.String(MAC), primary_key=True)
    ip_address: orm.Mapped[str] = orm.mapped_column(sa.String(IP), primary_key=True)


class SecurityGroupPortBinding(Base):
    __tablename__ = "port_security_group_bindings"

    port_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("ports.id", ondelete="CASCADE"), primary_key=True)
    # No cascade: a security group bound to ports cannot go (SecurityGroupInUse).
    # Named by hand: the conventional name is longer than PostgreSQL's 63 characters.
    security_group_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("security_groups.id", name="fk_port_sg_bindings_security_group_id"),
        primary_key=True, index=True)


class Router(StandardAttrs, Base):
    """A router; its external gateway is ``gw_port`` (a port on the external network)."""

    __tablename__ = "routers"

    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    admin_state_up: orm.Mapped[bool] = orm.mapped_column(default=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM), default=ACTIVE)
    gw_port_id: orm.Mapped[str | None] = orm.mapped_column(sa.ForeignKey("ports.id"),
                                                           index=True)
    enable_snat: orm.Mapped[bool] = orm.mapped_column(default=True)

    gw_port: orm.Mapped[Port | None] = orm.relationship(lazy="selectin")
    routes: orm.Mapped[list["RouterRoute"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True)


class RouterRoute(Base):
    __tablename__ = "router_routes"

    router_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("routers.id", ondelete="CASCADE"), primary_key=True)
    destination: orm.Mapped[str] = orm.mapped_column(sa.String(IP), primary_key=True)
    nexthop: orm.Mapped[str] = orm.mapped_column(sa.String(IP), primary_key=True)


class FloatingIP(StandardAttrs, Base):
    """A floating IP: its address is the fixed IP of ``floating_port`` on the external
    network, so the IPAM guards it like any other address."""

    __tablename__ = "floatingips"
    # One floating IP per fixed IP and external network (named by hand: too long otherwise).
    __table_args__ = (
        sa.UniqueConstraint("floating_network_id", "fixed_port_id", "fixed_ip_address",
                            name="uq_floatingips_fixed_ip"),)

    floating_network_id: orm.Mapped[str] = orm.mapped_column(sa.ForeignKey("networks.id"))
    floating_port_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("ports.id", ondelete="CASCADE"), unique=True)
    floating_ip_address: orm.Mapped[str] = orm.mapped_column(sa.String(IP))
    fixed_port_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.ForeignKey("ports.id", ondelete="SET NULL"), index=True)
    fixed_ip_address: orm.Mapped[str | None] = orm.mapped_column(sa.String(IP))
    router_id: orm.Mapped[str | None] = orm.mapped_column(sa.ForeignKey("routers.id"),
                                                          index=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM), default=DOWN)


class SecurityGroup(StandardAttrs, Base):
    __tablename__ = "security_groups"

    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), default="")
    stateful: orm.Mapped[bool] = orm.mapped_column(default=True)

    rules: orm.Mapped[list["SecurityGroupRule"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True,
        foreign_keys="SecurityGroupRule.security_group_id",
        order_by="SecurityGroupRule.created_at")


class DefaultSecurityGroup(Base):
    """Which group is a project's ``default``; the primary key makes "created on first
    use" safe when two requests of a new project race."""

    __tablename__ = "default_security_groups"

    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(PROJECT_ID), primary_key=True)
    security_group_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("security_groups.id", ondelete="CASCADE"), unique=True)


class SecurityGroupRule(StandardAttrs, Base):
    __tablename__ = "security_group_rules"

    security_group_id: orm.Mapped[str] = orm.mapped_column(
        sa.ForeignKey("security_groups.id", ondelete="CASCADE"), index=True)
    remote_group_id: orm.Mapped[str | None] = orm.mapped_column(
        sa.ForeignKey("security_groups.id", ondelete="CASCADE"), index=True)
    direction: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM))
    ethertype: orm.Mapped[str] = orm.mapped_column(sa.String(ENUM))
    protocol: orm.Mapped[str | None] = orm.mapped_column(sa.String(40))
    port_range_min: orm.Mapped[int | None]
    port_range_max: orm.Mapped[int | None]
    remote_ip_prefix: orm.Mapped[str | None] = orm.mapped_column(sa.String(IP))


class NetworkTag(Base):
    """A tag of any networking resource (ids are UUIDs, unique across resource kinds)."""

    __tablename__ = "network_tags"

    resource_id: orm.Mapped[str] = orm.mapped_column(sa.String(ID), primary_key=True)
    tag: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), primary_key=True)


class NetworkQuota(Base):
    """A project's limit for one networking resource; absent rows mean the default."""

    __tablename__ = "network_quotas"

    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(PROJECT_ID), primary_key=True)
    resource: orm.Mapped[str] = orm.mapped_column(sa.String(64), primary_key=True)
    hard_limit: orm.Mapped[int]
