"""dns: zones, recordsets, records, tlds, internal names, quotas

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
ID = 36
PROJECT_ID = 64
NAME = 255
ENUM = 16
DESCRIPTION = 160


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", Timestamp, nullable=False),
            sa.Column("updated_at", Timestamp, nullable=True)]


def upgrade() -> None:
    op.create_table(
        "dns_zones",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("project_id", sa.String(PROJECT_ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("email", sa.String(NAME), nullable=False),
        sa.Column("ttl", sa.Integer(), nullable=False),
        sa.Column("serial", sa.BigInteger(), nullable=False),
        sa.Column("refresh", sa.Integer(), nullable=False),
        sa.Column("retry", sa.Integer(), nullable=False),
        sa.Column("expire", sa.Integer(), nullable=False),
        sa.Column("minimum", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(ENUM), nullable=False),
        sa.Column("action", sa.String(ENUM), nullable=False),
        sa.Column("type", sa.String(ENUM), nullable=False),
        sa.Column("masters", sa.JSON(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("description", sa.String(DESCRIPTION), nullable=True),
        sa.Column("pool_id", sa.String(ID), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("transferred_at", Timestamp, nullable=True),
        sa.Column("shared", sa.Boolean(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_dns_zones"),
        sa.UniqueConstraint("name", name="uq_dns_zones_name"),
    )
    op.create_index("ix_dns_zones_project_id", "dns_zones", ["project_id"])

    op.create_table(
        "dns_recordsets",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("zone_id", sa.String(ID), nullable=False),
        sa.Column("project_id", sa.String(PROJECT_ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("type", sa.String(ENUM), nullable=False),
        sa.Column("ttl", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(DESCRIPTION), nullable=True),
        sa.Column("status", sa.String(ENUM), nullable=False),
        sa.Column("action", sa.String(ENUM), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("managed", sa.Boolean(), nullable=False),
        sa.Column("managed_resource_type", sa.String(64), nullable=True),
        sa.Column("managed_resource_id", sa.String(ID), nullable=True),
        *_timestamps(),
        sa.ForeignKeyConstraint(["zone_id"], ["dns_zones.id"], ondelete="CASCADE",
                                name="fk_dns_recordsets_zone_id_dns_zones"),
        sa.PrimaryKeyConstraint("id", name="pk_dns_recordsets"),
        sa.UniqueConstraint("zone_id", "name", "type",
                            name="uq_dns_recordsets_zone_id_name_type"),
    )
    op.create_index("ix_dns_recordsets_zone_id", "dns_recordsets", ["zone_id"])
    op.create_index("ix_dns_recordsets_managed_resource_id", "dns_recordsets",
                    ["managed_resource_id"])

    op.create_table(
        "dns_records",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("recordset_id", sa.String(ID), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["recordset_id"], ["dns_recordsets.id"], ondelete="CASCADE",
                                name="fk_dns_records_recordset_id_dns_recordsets"),
        sa.PrimaryKeyConstraint("id", name="pk_dns_records"),
    )
    op.create_index("ix_dns_records_recordset_id", "dns_records", ["recordset_id"])

    op.create_table(
        "dns_tlds",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("description", sa.String(DESCRIPTION), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_dns_tlds"),
        sa.UniqueConstraint("name", name="uq_dns_tlds_name"),
    )

    op.create_table(
        "dns_internal_names",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("name", sa.String(NAME), nullable=False),
        sa.Column("network_id", sa.String(ID), nullable=True),
        sa.Column("addresses", sa.JSON(), nullable=False),
        sa.Column("description", sa.String(DESCRIPTION), nullable=True),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_dns_internal_names"),
    )
    op.create_index("ix_dns_internal_names_name", "dns_internal_names", ["name"])
    op.create_index("ix_dns_internal_names_network_id", "dns_internal_names",
                    ["network_id"])

    op.create_table(
        "dns_quotas",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("project_id", sa.String(PROJECT_ID), nullable=False),
        sa.Column("resource", sa.String(64), nullable=False),
        sa.Column("hard_limit", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_dns_quotas"),
        sa.UniqueConstraint("project_id", "resource",
                            name="uq_dns_quotas_project_id_resource"),
    )


def downgrade() -> None:
    for table in ("dns_quotas", "dns_internal_names", "dns_tlds", "dns_records",
                  "dns_recordsets", "dns_zones"):
        op.drop_table(table)
