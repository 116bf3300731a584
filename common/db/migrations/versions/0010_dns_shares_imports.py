"""dns: zone shares (API 2.1) and zone import tasks

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")
ID = 36
PROJECT_ID = 64
ENUM = 16


def _timestamps() -> list[sa.Column]:
    return [sa.Column("created_at", Timestamp, nullable=False),
            sa.Column("updated_at", Timestamp, nullable=True)]


def upgrade() -> None:
    op.create_table(
        "dns_zone_shares",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("zone_id", sa.String(ID), nullable=False),
        sa.Column("project_id", sa.String(PROJECT_ID), nullable=False),
        sa.Column("target_project_id", sa.String(PROJECT_ID), nullable=False),
        *_timestamps(),
        sa.ForeignKeyConstraint(["zone_id"], ["dns_zones.id"], ondelete="CASCADE",
                                name="fk_dns_zone_shares_zone_id_dns_zones"),
        sa.PrimaryKeyConstraint("id", name="pk_dns_zone_shares"),
        sa.UniqueConstraint("zone_id", "target_project_id",
                            name="uq_dns_zone_shares_zone_id_target_project_id"),
    )
    op.create_index("ix_dns_zone_shares_target_project_id", "dns_zone_shares",
                    ["target_project_id"])

    op.create_table(
        "dns_zone_imports",
        sa.Column("id", sa.String(ID), nullable=False),
        sa.Column("project_id", sa.String(PROJECT_ID), nullable=False),
        sa.Column("status", sa.String(ENUM), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("zone_id", sa.String(ID), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_timestamps(),
        sa.PrimaryKeyConstraint("id", name="pk_dns_zone_imports"),
    )
    op.create_index("ix_dns_zone_imports_project_id", "dns_zone_imports", ["project_id"])
