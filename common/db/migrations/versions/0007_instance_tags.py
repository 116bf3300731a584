"""compute: server tags (microversion 2.26)

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "instance_tags",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("instance_uuid", sa.String(36), nullable=False),
        sa.Column("tag", sa.String(60), nullable=False),
        sa.ForeignKeyConstraint(["instance_uuid"], ["instances.uuid"],
                                name="fk_instance_tags_instance_uuid_instances",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_instance_tags"),
        sa.UniqueConstraint("instance_uuid", "tag", name="uq_instance_tags_instance_uuid_tag"),
    )
    op.create_index("ix_instance_tags_tag", "instance_tags", ["tag"], unique=False)


def downgrade() -> None:
    op.drop_table("instance_tags")
