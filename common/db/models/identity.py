"""Identity tables: domains and projects, users, groups, roles, assignments, catalog.

Domains are projects with ``is_domain`` true, as in Keystone, so a project created with
``is_domain`` shows up as a domain. Columns that Keystone leaves null for "global" or
"root" (a domain's domain_id, a global role's domain_id) hold ``ROOT`` instead, so the
unique constraints hold on every backend (NULLs never collide in SQL).
"""
import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common.db.models.base import Base, TimestampMixin
from common.db.types import Timestamp

ROOT = ""
NAME_LENGTH = 255
ID_LENGTH = 64


def _id_column(**kwargs: Any) -> orm.Mapped[str]:
    return orm.mapped_column(sa.String(ID_LENGTH), primary_key=True, **kwargs)


class Project(TimestampMixin, Base):
    """A project, or a domain when ``is_domain`` (then ``domain_id`` is ROOT)."""

    __tablename__ = "projects"
    __table_args__ = (sa.UniqueConstraint("domain_id", "name"),)

    id: orm.Mapped[str] = _id_column()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH))
    domain_id: orm.Mapped[str] = orm.mapped_column(sa.String(ID_LENGTH), index=True)
    parent_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(ID_LENGTH), index=True)
    is_domain: orm.Mapped[bool] = orm.mapped_column(default=False)
    enabled: orm.Mapped[bool] = orm.mapped_column(default=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")
    tags: orm.Mapped[list] = orm.mapped_column(sa.JSON, default=list)
    extra: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)


class User(TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (sa.UniqueConstraint("domain_id", "name"),)

    id: orm.Mapped[str] = _id_column()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH))
    domain_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    enabled: orm.Mapped[bool] = orm.mapped_column(default=True)
    password_hash: orm.Mapped[str | None] = orm.mapped_column(sa.String(128))
    password_changed_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(Timestamp)
    default_project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(ID_LENGTH))
    extra: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)


class Group(TimestampMixin, Base):
    __tablename__ = "groups"
    __table_args__ = (sa.UniqueConstraint("domain_id", "name"),)

    id: orm.Mapped[str] = _id_column()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH))
    domain_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")
    extra: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)


class GroupMembership(Base):
    __tablename__ = "group_memberships"

    group_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("groups.id", ondelete="CASCADE"),
        primary_key=True)
    user_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("users.id", ondelete="CASCADE"),
        primary_key=True, index=True)


class Role(TimestampMixin, Base):
    """A role; ``domain_id`` is ROOT for a global role."""

    __tablename__ = "roles"
    __table_args__ = (sa.UniqueConstraint("domain_id", "name"),)

    id: orm.Mapped[str] = _id_column()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH))
    domain_id: orm.Mapped[str] = orm.mapped_column(sa.String(ID_LENGTH), default=ROOT)
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    extra: orm.Mapped[dict] = orm.mapped_column(sa.JSON, default=dict)


class ImpliedRole(Base):
    __tablename__ = "implied_roles"

    prior_role_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("roles.id", ondelete="CASCADE"),
        primary_key=True)
    implied_role_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("roles.id", ondelete="CASCADE"),
        primary_key=True)


class RoleAssignment(Base):
    """``actor_type`` user|group holds ``role_id`` on ``target_type`` project|domain|system.

    Actor and target are polymorphic, so their rows are removed by the query layer when
    an actor or target is deleted; only the role has a real foreign key.
    """

    __tablename__ = "role_assignments"
    __table_args__ = (sa.Index("ix_role_assignments_target", "target_type", "target_id"),)

    actor_type: orm.Mapped[str] = orm.mapped_column(sa.String(8), primary_key=True)
    actor_id: orm.Mapped[str] = orm.mapped_column(sa.String(ID_LENGTH), primary_key=True)
    target_type: orm.Mapped[str] = orm.mapped_column(sa.String(8), primary_key=True)
    target_id: orm.Mapped[str] = orm.mapped_column(sa.String(ID_LENGTH), primary_key=True)
    role_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("roles.id", ondelete="CASCADE"),
        primary_key=True)


class ApplicationCredential(TimestampMixin, Base):
    """A secret a user hands to an application: acts as the user, in one project, with
    a subset of the user's roles there (``roles`` is a list of role ids)."""

    __tablename__ = "application_credentials"
    __table_args__ = (sa.UniqueConstraint("user_id", "name"),)

    id: orm.Mapped[str] = _id_column()
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH))
    user_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    project_id: orm.Mapped[str] = orm.mapped_column(sa.String(ID_LENGTH))
    secret_hash: orm.Mapped[str] = orm.mapped_column(sa.String(128))
    description: orm.Mapped[str | None] = orm.mapped_column(sa.Text)
    expires_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(Timestamp)
    unrestricted: orm.Mapped[bool] = orm.mapped_column(default=False)
    roles: orm.Mapped[list] = orm.mapped_column(sa.JSON, default=list)


class Region(TimestampMixin, Base):
    __tablename__ = "regions"

    id: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH), primary_key=True)
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")
    parent_region_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME_LENGTH))


class CatalogService(TimestampMixin, Base):
    """A service of the catalog (not to be confused with the ``services`` registry)."""

    __tablename__ = "catalog_services"

    id: orm.Mapped[str] = _id_column()
    type: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH), index=True)
    name: orm.Mapped[str] = orm.mapped_column(sa.String(NAME_LENGTH), default="")
    description: orm.Mapped[str] = orm.mapped_column(sa.Text, default="")
    enabled: orm.Mapped[bool] = orm.mapped_column(default=True)


class CatalogEndpoint(TimestampMixin, Base):
    __tablename__ = "catalog_endpoints"

    id: orm.Mapped[str] = _id_column()
    service_id: orm.Mapped[str] = orm.mapped_column(
        sa.String(ID_LENGTH), sa.ForeignKey("catalog_services.id", ondelete="CASCADE"),
        index=True)
    interface: orm.Mapped[str] = orm.mapped_column(sa.String(8))
    region_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(NAME_LENGTH))
    url: orm.Mapped[str] = orm.mapped_column(sa.Text)
    enabled: orm.Mapped[bool] = orm.mapped_column(default=True)


class RevocationEvent(Base):
    """Tokens matching every non-null column and issued before ``issued_before`` are
    revoked. Rows older than the token lifetime match nothing and are pruned."""

    __tablename__ = "revocation_events"

    id: orm.Mapped[int] = orm.mapped_column(primary_key=True, autoincrement=True)
    audit_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(32))
    user_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(ID_LENGTH))
    project_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(ID_LENGTH))
    domain_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(ID_LENGTH))
    app_cred_id: orm.Mapped[str | None] = orm.mapped_column(sa.String(ID_LENGTH))
    issued_before: orm.Mapped[datetime.datetime] = orm.mapped_column(Timestamp)
    revoked_at: orm.Mapped[datetime.datetime] = orm.mapped_column(Timestamp, index=True)
