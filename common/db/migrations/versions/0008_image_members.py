"""image: members of shared images

Revision ID: 0008
Revises: 0006
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import mysql

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def upgrade() -> None:
    op.create_table(
        "image_members",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("image_id", sa.String(36), nullable=False),
        sa.Column("member", sa.String(255), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=True),
        sa.ForeignKeyConstraint(["image_id"], ["images.id"],
                                name="fk_image_members_image_id_images", ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_image_members"),
        sa.UniqueConstraint("image_id", "member", name="uq_image_members_image_id_member"),
    )
    op.create_index("ix_image_members_image_id", "image_members", ["image_id"],
                    unique=False)
    op.create_index("ix_image_members_member", "image_members", ["member"], unique=False)


def downgrade() -> None:
    op.drop_table("image_members")
