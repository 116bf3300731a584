"""network: networks, subnets, ports, IP allocations, routers, floating IPs, security
groups, tags, quotas

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
ID = 36
PROJECT_ID = 255
NAME = 255
DESCRIPTION = 255
ENUM = 16
IP = 64
MAC = 32
DEVICE = 255


def _standard(table: str) -> list:
    """id, project_id, description, revision_number and timestamps (StandardAttrs)."""
    return [
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("project_id", sa.String(PROJECT_ID), nullable=False),
        sa.Column("description", sa.String(DESCRIPTION), nullable=False),
        sa.Column("revision_number", sa.BigInteger(), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=True),
        sa.PrimaryKeyConstraint("id", name=f"pk_{table}"),
    ]


def _fk(table: str, column: str, target: str, ondelete: str | None = None,
        name: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], ondelete=ondelete,
        name=name or f"fk_{table}_{column}_{target}")


def _index(table: str, *columns: str) -> None:
    op.create_index(f"ix_{table}_{'_'.join(columns)}", table, list(columns))


def upgrade() -> None:
    op.create_table(
        "networks",
        *_standard("networks"),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("admin_state_up", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(ENUM), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("external", sa.Boolean(), nullable=False),
        sa.Column("network_type", sa.String(ENUM), nullable=False),
        sa.Column("physical_network", sa.String(64), nullable=True),
        sa.Column("segmentation_id", sa.Integer(), nullable=True),
        sa.Column("segment_key", sa.String(100), nullable=False),
        sa.Column("mtu", sa.Integer(), nullable=False),
        sa.Column("dns_domain", sa.String(NAME), nullable=False),
        sa.Column("port_security_enabled", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("segment_key", name="uq_networks_segment_key"),
    )
    _index("networks", "project_id")

    op.create_table(
        "subnets",
        *_standard("subnets"),
        sa.Column("network_id", sa.String(ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("ip_version", sa.Integer(), nullable=False),
        sa.Column("cidr", sa.String(IP), nullable=False),
        sa.Column("gateway_ip", sa.String(IP), nullable=True),
        sa.Column("enable_dhcp", sa.Boolean(), nullable=False),
        sa.Column("ipv6_ra_mode", sa.String(ENUM), nullable=True),
        sa.Column("ipv6_address_mode", sa.String(ENUM), nullable=True),
        _fk("subnets", "network_id", "networks", ondelete="CASCADE"),
    )
    _index("subnets", "network_id")
    _index("subnets", "project_id")

    op.create_table(
        "subnet_allocation_pools",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("subnet_id", sa.String(ID), nullable=False),
        sa.Column("first_ip", sa.String(IP), nullable=False),
        sa.Column("last_ip", sa.String(IP), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subnet_allocation_pools"),
        _fk("subnet_allocation_pools", "subnet_id", "subnets", ondelete="CASCADE"),
    )
    _index("subnet_allocation_pools", "subnet_id")

    op.create_table(
        "subnet_dns_nameservers",
        sa.Column("subnet_id", sa.String(ID), nullable=False),
        sa.Column("address", sa.String(IP), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("subnet_id", "address", name="pk_subnet_dns_nameservers"),
        _fk("subnet_dns_nameservers", "subnet_id", "subnets", ondelete="CASCADE"),
    )

    op.create_table(
        "subnet_host_routes",
        sa.Column("subnet_id", sa.String(ID), nullable=False),
        sa.Column("destination", sa.String(IP), nullable=False),
        sa.Column("nexthop", sa.String(IP), nullable=False),
        sa.PrimaryKeyConstraint("subnet_id", "destination", "nexthop",
                                name="pk_subnet_host_routes"),
        _fk("subnet_host_routes", "subnet_id", "subnets", ondelete="CASCADE"),
    )

    op.create_table(
        "security_groups",
        *_standard("security_groups"),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("stateful", sa.Boolean(), nullable=False),
    )
    _index("security_groups", "project_id")

    op.create_table(
        "default_security_groups",
        sa.Column("project_id", sa.String(PROJECT_ID), nullable=False),
        sa.Column("security_group_id", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("project_id", name="pk_default_security_groups"),
        sa.UniqueConstraint("security_group_id",
                            name="uq_default_security_groups_security_group_id"),
        _fk("default_security_groups", "security_group_id", "security_groups",
            ondelete="CASCADE"),
    )

    op.create_table(
        "security_group_rules",
        *_standard("security_group_rules"),
        sa.Column("security_group_id", sa.String(ID), nullable=False),
        sa.Column("remote_group_id", sa.String(ID), nullable=True),
        sa.Column("direction", sa.String(ENUM), nullable=False),
        sa.Column("ethertype", sa.String(ENUM), nullable=False),
        sa.Column("protocol", sa.String(40), nullable=True),
        sa.Column("port_range_min", sa.Integer(), nullable=True),
        sa.Column("port_range_max", sa.Integer(), nullable=True),
        sa.Column("remote_ip_prefix", sa.String(IP), nullable=True),
        _fk("security_group_rules", "security_group_id", "security_groups",
            ondelete="CASCADE"),
        _fk("security_group_rules", "remote_group_id", "security_groups", ondelete="CASCADE"),
    )
    _index("security_group_rules", "project_id")
    _index("security_group_rules", "remote_group_id")
    _index("security_group_rules", "security_group_id")

    op.create_table(
        "ports",
        *_standard("ports"),
        sa.Column("network_id", sa.String(ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("mac_address", sa.String(MAC), nullable=False),
        sa.Column("admin_state_up", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(ENUM), nullable=False),
        sa.Column("device_id", sa.String(DEVICE), nullable=False),
        sa.Column("device_owner", sa.String(DEVICE), nullable=False),
        sa.Column("binding_host_id", sa.String(NAME), nullable=False),
        sa.Column("binding_vif_type", sa.String(64), nullable=False),
        sa.Column("binding_vnic_type", sa.String(64), nullable=False),
        sa.Column("binding_profile", sa.JSON(), nullable=False),
        sa.Column("port_security_enabled", sa.Boolean(), nullable=False),
        sa.Column("dns_name", sa.String(NAME), nullable=False),
        _fk("ports", "network_id", "networks"),
        sa.UniqueConstraint("network_id", "mac_address",
                            name="uq_ports_network_id_mac_address"),
    )
    _index("ports", "device_id")
    _index("ports", "network_id")
    _index("ports", "project_id")

    op.create_table(
        "ip_allocations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("port_id", sa.String(ID), nullable=False),
        sa.Column("subnet_id", sa.String(ID), nullable=False),
        sa.Column("ip_address", sa.String(IP), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ip_allocations"),
        _fk("ip_allocations", "port_id", "ports", ondelete="CASCADE"),
        _fk("ip_allocations", "subnet_id", "subnets"),
        sa.UniqueConstraint("subnet_id", "ip_address",
                            name="uq_ip_allocations_subnet_id_ip_address"),
    )
    _index("ip_allocations", "port_id")

    op.create_table(
        "port_allowed_address_pairs",
        sa.Column("port_id", sa.String(ID), nullable=False),
        sa.Column("mac_address", sa.String(MAC), nullable=False),
        sa.Column("ip_address", sa.String(IP), nullable=False),
        sa.PrimaryKeyConstraint("port_id", "mac_address", "ip_address",
                                name="pk_port_allowed_address_pairs"),
        _fk("port_allowed_address_pairs", "port_id", "ports", ondelete="CASCADE"),
    )

    op.create_table(
        "port_security_group_bindings",
        sa.Column("port_id", sa.String(ID), nullable=False),
        sa.Column("security_group_id", sa.String(ID), nullable=False),
        sa.PrimaryKeyConstraint("port_id", "security_group_id",
                                name="pk_port_security_group_bindings"),
        _fk("port_security_group_bindings", "port_id", "ports", ondelete="CASCADE"),
        _fk("port_security_group_bindings", "security_group_id", "security_groups",
            name="fk_port_sg_bindings_security_group_id"),
    )
    _index("port_security_group_bindings", "security_group_id")

    op.create_table(
        "routers",
        *_standard("routers"),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("admin_state_up", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(ENUM), nullable=False),
        sa.Column("gw_port_id", sa.String(ID), nullable=True),
        sa.Column("enable_snat", sa.Boolean(), nullable=False),
        _fk("routers", "gw_port_id", "ports"),
    )
    _index("routers", "gw_port_id")
    _index("routers", "project_id")

    op.create_table(
        "router_routes",
        sa.Column("router_id", sa.String(ID), nullable=False),
        sa.Column("destination", sa.String(IP), nullable=False),
        sa.Column("nexthop", sa.String(IP), nullable=False),
        sa.PrimaryKeyConstraint("router_id", "destination", "nexthop",
                                name="pk_router_routes"),
        _fk("router_routes", "router_id", "routers", ondelete="CASCADE"),
    )

    op.create_table(
        "floatingips",
        *_standard("floatingips"),
        sa.Column("floating_network_id", sa.String(ID), nullable=False),
        sa.Column("floating_port_id", sa.String(ID), nullable=False),
        sa.Column("floating_ip_address", sa.String(IP), nullable=False),
        sa.Column("fixed_port_id", sa.String(ID), nullable=True),
        sa.Column("fixed_ip_address", sa.String(IP), nullable=True),
        sa.Column("router_id", sa.String(ID), nullable=True),
        sa.Column("status", sa.String(ENUM), nullable=False),
        sa.ForeignKeyConstraint(["floating_network_id"], ["networks.id"],
                                name="fk_floatingips_floating_network_id_networks"),
        sa.ForeignKeyConstraint(["floating_port_id"], ["ports.id"], ondelete="CASCADE",
                                name="fk_floatingips_floating_port_id_ports"),
        sa.ForeignKeyConstraint(["fixed_port_id"], ["ports.id"], ondelete="SET NULL",
                                name="fk_floatingips_fixed_port_id_ports"),
        _fk("floatingips", "router_id", "routers"),
        sa.UniqueConstraint("floating_port_id", name="uq_floatingips_floating_port_id"),
        sa.UniqueConstraint("floating_network_id", "fixed_port_id", "fixed_ip_address",
                            name="uq_floatingips_fixed_ip"),
    )
    _index("floatingips", "fixed_port_id")
    _index("floatingips", "project_id")
    _index("floatingips", "router_id")

    op.create_table(
        "network_tags",
        sa.Column("resource_id", sa.String(ID), nullable=False),
        sa.Column("tag", sa.String(NAME), nullable=False),
        sa.PrimaryKeyConstraint("resource_id", "tag", name="pk_network_tags"),
    )

    op.create_table(
        "network_quotas",
        sa.Column("project_id", sa.String(PROJECT_ID), nullable=False),
        sa.Column("resource", sa.String(64), nullable=False),
        sa.Column("hard_limit", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "resource", name="pk_network_quotas"),
    )
