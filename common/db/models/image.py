"""Image tables (Glance v2 subset): the image records, their tags and members.

An image's bytes live outside the database, one file per image id in
``[compute] image_store_path``; the record carries its size and checksums. Properties
Glance does not name (``owner_specified.*``, ``kernel_id``, ``hw_*``, ...) are kept in
``properties`` and shown flat beside the named ones.
"""
import sqlalchemy as sa
from sqlalchemy import orm

from common.db.models.base import Base, TimestampMixin, new_uuid

NAME = 255


class Image(TimestampMixin, Base):
    """status: queued → saving → active (or killed); deactivated by an admin."""

    __tablename__ = "images"
    __table_args__ = (sa.Index("ix_images_owner_visibility", "owner", "visibility"),)

    id: orm.Mapped[str] = orm.mapped_column(sa.String(36), primary_key=True, default=new_uuid)
    name: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME), index=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(30), default="queued")
    visibility: orm.Mapped[str] = orm.mapped_column(sa.String(20), default="shared")
    protected: orm.Mapped[bool] = orm.mapped_column(default=False)
    os_hidden: orm.Mapped[bool] = orm.mapped_column(default=False)
    owner: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME))
    disk_format: orm.Mapped[str | None] = orm.mapped_column(sa.String(20))
    container_format: orm.Mapped[str | None] = orm.mapped_column(sa.String(20))
    size: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)
    virtual_size: orm.Mapped[int | None] = orm.mapped_column(sa.BigInteger)
    checksum: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    os_hash_algo: orm.Mapped[str | None] = orm.mapped_column(sa.String(64))
    os_hash_value: orm.Mapped[str | None] = orm.mapped_column(sa.String(128))
    min_disk: orm.Mapped[int] = orm.mapped_column(default=0)
    min_ram: orm.Mapped[int] = orm.mapped_column(default=0)
    properties: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)

    tags: orm.Mapped[list["ImageTag"]] = orm.relationship(
        lazy="selectin", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ImageTag.id")


class ImageTag(Base):
    __tablename__ = "image_tags"
    __table_args__ = (sa.UniqueConstraint("image_id", "value"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    image_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("images.id", ondelete="CASCADE"), index=True)
    value: orm.Mapped[str] = orm.mapped_column(sa.String(NAME))


class ImageMember(TimestampMixin, Base):
    """A project a shared image is offered to; it sees the image once it accepts."""

    __tablename__ = "image_members"
    __table_args__ = (sa.UniqueConstraint("image_id", "member"),)

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    image_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(36), sa.ForeignKey("images.id", ondelete="CASCADE"), index=True)
    member: orm.Mapped[str] = orm.mapped_column(sa.String(NAME), index=True)
    status: orm.Mapped[str] = orm.mapped_column(sa.String(20), default="pending")
