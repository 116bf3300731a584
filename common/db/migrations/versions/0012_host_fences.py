"""services: the HA monitor's fences of dead compute hosts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "host_fences",
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("fenced_at", Timestamp, nullable=False),
        sa.Column("fenced_by", sa.String(255), nullable=False),
        sa.Column("outcome", sa.String(255), nullable=False),
        sa.PrimaryKeyConstraint("host", name="pk_host_fences"),
    )
