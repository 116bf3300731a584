"""Domains, projects, users, groups and passwords of the built-in identity.

Deleting an actor or a target also removes the role assignments that name it, and
changes that must end existing tokens (a user disabled, a password changed, a project
deleted) record a revocation event in the same transaction.
"""
import base64
import dataclasses
import datetime
import hashlib
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

import bcrypt
import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import context, exceptions
from common.config import CONF
from common.db import models, session
from common.db.api import identity_revocations as revocations
from common.db.api import paging
from common.db.api.records import from_row
from common.db.models.identity import ROOT
from common.db.types import utcnow

DEFAULT_DOMAIN_ID = "default"
Context = context.RequestContext


@dataclasses.dataclass(frozen=True)
class ProjectRecord:
    """A project, or a domain (``is_domain``; a domain's own domain_id is ROOT)."""
    id: str
    name: str
    domain_id: str
    parent_id: str | None
    is_domain: bool
    enabled: bool
    description: str
    tags: list[str]
    extra: dict[str, Any]
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


@dataclasses.dataclass(frozen=True)
class UserRecord:
    id: str
    name: str
    domain_id: str
    enabled: bool
    password_hash: str | None
    password_changed_at: datetime.datetime | None
    default_project_id: str | None
    extra: dict[str, Any]
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


@dataclasses.dataclass(frozen=True)
class GroupRecord:
    id: str
    name: str
    domain_id: str
    description: str
    extra: dict[str, Any]
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def _project(row: models.Project) -> ProjectRecord:
    return from_row(ProjectRecord, row, tags=list(row.tags or []),
                    extra=dict(row.extra or {}))


def _user(row: models.User) -> UserRecord:
    return from_row(UserRecord, row, extra=dict(row.extra or {}))


def _group(row: models.Group) -> GroupRecord:
    return from_row(GroupRecord, row, extra=dict(row.extra or {}))


def new_id() -> str:
    return uuid.uuid4().hex


def _not_found(kind: str, ident: str) -> exceptions.NotFound:
    return exceptions.NotFound(f"Could not find {kind}: {ident}.")


def get_row(s: orm.Session, model: type, ident: str, kind: str) -> Any:
    row = s.get(model, ident)
    if row is None:
        raise _not_found(kind, ident)
    return row


def flush_unique(s: orm.Session, kind: str, name: str) -> None:
    """Flush now so a duplicate name is a 409 here rather than a 500 at commit."""
    try:
        s.flush()
    except sa_exc.IntegrityError as e:
        raise exceptions.Conflict(
            f"Conflict occurred attempting to store {kind} - Duplicate entry "
            f"found with name {name}.") from e


def apply_values(row: Any, values: dict[str, Any], columns: Iterable[str]) -> None:
    """Set known columns; everything else goes to ``extra`` (Keystone keeps unknown
    attributes such as a user's email and hands them back)."""
    extra = dict(row.extra or {})
    for key, value in values.items():
        if key in columns:
            setattr(row, key, value)
        else:
            extra[key] = value
    row.extra = extra


# -- passwords -----------------------------------------------------------------------

def _password_bytes(password: str) -> bytes:
    raw = password.encode()
    # bcrypt only reads 72 bytes (and bcrypt>=5 refuses more): longer secrets are
    # pre-hashed so every character still counts.
    if len(raw) > 72:
        raw = base64.b64encode(hashlib.sha256(raw).digest())
    return raw


def hash_password(password: str) -> str:
    return bcrypt.hashpw(_password_bytes(password),
                         bcrypt.gensalt(CONF.identity.bcrypt_rounds)).decode()


def check_password(password: str, hashed: str | None) -> bool:
    if not hashed:
        return False
    return bcrypt.checkpw(_password_bytes(password), hashed.encode())


# -- domains and projects ------------------------------------------------------------

PROJECT_COLUMNS = ("name", "description", "enabled", "tags", "parent_id", "domain_id",
                   "is_domain")


def create_domain(ctxt: Context, name: str, description: str = "", enabled: bool = True,
                  domain_id: str | None = None, **extra: Any) -> ProjectRecord:
    with session.transaction() as s:
        domain = models.Project(id=domain_id or new_id(), name=name, domain_id=ROOT,
                                parent_id=None, is_domain=True, enabled=enabled,
                                description=description or "", tags=[], extra=extra)
        s.add(domain)
        flush_unique(s, "domain", name)
        return _project(domain)


def get_domain(ctxt: Context, domain_id: str) -> ProjectRecord:
    with session.reader() as s:
        domain = s.get(models.Project, domain_id)
        if domain is None or not domain.is_domain:
            raise _not_found("domain", domain_id)
        return _project(domain)


def find_domain(ctxt: Context, name: str) -> ProjectRecord:
    with session.reader() as s:
        domain = s.scalars(sa.select(models.Project).filter_by(
            domain_id=ROOT, name=name)).one_or_none()
        if domain is None:
            raise _not_found("domain", name)
        return _project(domain)


def list_domains(ctxt: Context, name: str | None = None, enabled: bool | None = None,
                 ids: Iterable[str] | None = None, limit: int | None = None,
                 marker: str | None = None) -> list[ProjectRecord]:
    return list_projects(ctxt, name=name, enabled=enabled, is_domain=True, ids=ids,
                         limit=limit, marker=marker)


def update_domain(ctxt: Context, domain_id: str, values: dict[str, Any]) -> ProjectRecord:
    with session.transaction() as s:
        domain = s.get(models.Project, domain_id)
        if domain is None or not domain.is_domain:
            raise _not_found("domain", str(domain_id))
        return _apply_domain_update(s, domain, values)


def _apply_domain_update(s: orm.Session, domain: models.Project,
                         values: dict[str, Any]) -> ProjectRecord:
    apply_values(domain, values, ("name", "description", "enabled"))
    flush_unique(s, "domain", domain.name)
    if values.get("enabled") is False:
        revocations.record(s, domain_id=domain.id)
    return _project(domain)


def delete_domain(ctxt: Context, domain_id: str) -> None:
    """Delete a disabled domain with its projects, users, groups and roles."""
    with session.transaction() as s:
        domain = s.get(models.Project, domain_id)
        if domain is None or not domain.is_domain:
            raise _not_found("domain", str(domain_id))
        if domain.enabled:
            raise exceptions.Forbidden("Cannot delete a domain that is enabled, please "
                                       "disable it first.")
        project_ids = list(s.scalars(sa.select(models.Project.id).filter_by(
            domain_id=domain_id)))
        user_ids = list(s.scalars(sa.select(models.User.id).filter_by(domain_id=domain_id)))
        group_ids = list(s.scalars(sa.select(models.Group.id).filter_by(
            domain_id=domain_id)))
        _delete_assignments(s, targets=[("domain", domain_id)]
                            + [("project", p) for p in project_ids],
                            actors=[("user", u) for u in user_ids]
                            + [("group", g) for g in group_ids])
        s.execute(sa.delete(models.Role).filter_by(domain_id=domain_id))
        s.execute(sa.delete(models.Project).where(models.Project.domain_id == domain_id))
        s.delete(domain)
        revocations.record(s, domain_id=domain_id)


def create_project(ctxt: Context, name: str, domain_id: str | None = None,
                   parent_id: str | None = None, description: str = "",
                   enabled: bool = True, tags: list | None = None, is_domain: bool = False,
                   project_id: str | None = None, **extra: Any) -> ProjectRecord:
    if is_domain:
        return create_domain(ctxt, name, description, enabled, project_id, **extra)
    with session.transaction() as s:
        domain = s.get(models.Project, domain_id)
        if domain is None or not domain.is_domain:
            raise _not_found("domain", str(domain_id))
        if parent_id and parent_id != domain_id:
            parent = get_row(s, models.Project, parent_id, "project")
            if parent.domain_id != domain_id:
                raise exceptions.BadRequest("The parent project must be in the same "
                                            "domain as the project.")
        project = models.Project(id=project_id or new_id(), name=name, domain_id=domain_id,
                                 parent_id=parent_id or domain_id, is_domain=False,
                                 enabled=enabled, description=description or "",
                                 tags=list(tags or []), extra=extra)
        s.add(project)
        flush_unique(s, "project", name)
        return _project(project)


def get_project(ctxt: Context, project_id: str) -> ProjectRecord:
    with session.reader() as s:
        return _project(get_row(s, models.Project, project_id, "project"))


def _find_by_name(s: orm.Session, model: type, kind: str, name: str, domain_id: str) -> Any:
    row = s.scalars(sa.select(model).filter_by(domain_id=domain_id, name=name)).one_or_none()
    if row is None:
        raise _not_found(kind, name)
    return row


def find_project(ctxt: Context, name: str, domain_id: str) -> ProjectRecord:
    with session.reader() as s:
        return _project(_find_by_name(s, models.Project, "project", name, domain_id))


def list_projects(ctxt: Context, name: str | None = None, domain_id: str | None = None,
                  enabled: bool | None = None, parent_id: str | None = None,
                  is_domain: bool | None = False, ids: Iterable[str] | None = None,
                  limit: int | None = None, marker: str | None = None
                  ) -> list[ProjectRecord]:
    query = sa.select(models.Project)
    for column, value in (("name", name), ("domain_id", domain_id), ("enabled", enabled),
                          ("parent_id", parent_id), ("is_domain", is_domain)):
        if value is not None:
            query = query.where(getattr(models.Project, column) == value)
    if ids is not None:
        query = query.where(models.Project.id.in_(list(ids)))
    with session.reader() as s:
        return [_project(row) for row in paging.page(s, query, models.Project, limit, marker)]


def update_project(ctxt: Context, project_id: str, values: dict[str, Any]) -> ProjectRecord:
    with session.transaction() as s:
        project = get_row(s, models.Project, project_id, "project")
        if project.is_domain:  # a project acting as a domain, as Keystone allows
            return _apply_domain_update(s, project, values)
        apply_values(project, values, ("name", "description", "enabled", "tags"))
        flush_unique(s, "project", project.name)
        if values.get("enabled") is False:
            revocations.record(s, project_id=project_id)
        return _project(project)


def delete_project(ctxt: Context, project_id: str) -> None:
    if get_project(ctxt, project_id).is_domain:
        return delete_domain(ctxt, project_id)
    with session.transaction() as s:
        project = get_row(s, models.Project, project_id, "project")
        if s.scalar(sa.select(sa.func.count()).where(models.Project.parent_id == project_id)):
            raise exceptions.Forbidden(f"Cannot delete project {project_id}: it has "
                                       "sub-projects.")
        _delete_assignments(s, targets=[("project", project_id)])
        s.execute(sa.delete(models.ApplicationCredential).filter_by(project_id=project_id))
        s.delete(project)
        revocations.record(s, project_id=project_id)


# -- users ---------------------------------------------------------------------------

USER_COLUMNS = ("name", "domain_id", "enabled", "default_project_id")


def create_user(ctxt: Context, name: str, domain_id: str, password: str | None = None,
                enabled: bool = True, default_project_id: str | None = None,
                user_id: str | None = None, **extra: Any) -> UserRecord:
    hashed = hash_password(password) if password else None  # outside the transaction
    with session.transaction() as s:
        domain = s.get(models.Project, domain_id)
        if domain is None or not domain.is_domain:
            raise _not_found("domain", str(domain_id))
        user = models.User(id=user_id or new_id(), name=name, domain_id=domain_id,
                           enabled=enabled, default_project_id=default_project_id,
                           password_hash=hashed,
                           password_changed_at=utcnow() if hashed else None, extra=extra)
        s.add(user)
        flush_unique(s, "user", name)
        return _user(user)


def get_user(ctxt: Context, user_id: str) -> UserRecord:
    with session.reader() as s:
        return _user(get_row(s, models.User, user_id, "user"))


def find_user(ctxt: Context, name: str, domain_id: str) -> UserRecord:
    with session.reader() as s:
        return _user(_find_by_name(s, models.User, "user", name, domain_id))


def list_users(ctxt: Context, name: str | None = None, domain_id: str | None = None,
               enabled: bool | None = None, ids: Iterable[str] | None = None,
               limit: int | None = None, marker: str | None = None) -> list[UserRecord]:
    query = sa.select(models.User)
    for column, value in (("name", name), ("domain_id", domain_id), ("enabled", enabled)):
        if value is not None:
            query = query.where(getattr(models.User, column) == value)
    if ids is not None:
        query = query.where(models.User.id.in_(list(ids)))
    with session.reader() as s:
        return [_user(row) for row in paging.page(s, query, models.User, limit, marker)]


def update_user(ctxt: Context, user_id: str, values: dict[str, Any]) -> UserRecord:
    values = dict(values)
    password = values.pop("password", None)
    hashed = hash_password(password) if password else None
    with session.transaction() as s:
        user = get_row(s, models.User, user_id, "user")
        apply_values(user, values, ("name", "enabled", "default_project_id"))
        flush_unique(s, "user", user.name)
        if hashed:
            user.password_hash = hashed
            user.password_changed_at = utcnow()
        if hashed or values.get("enabled") is False:
            revocations.record(s, user_id=user_id)
        s.flush()
        return _user(user)


def change_password(ctxt: Context, user_id: str, original_password: str,
                    password: str) -> None:
    """Self-service password change: the original password must match."""
    user = get_user(ctxt, user_id)
    if not check_password(original_password, user.password_hash):
        raise exceptions.Unauthorized("The original password is not correct.")
    update_user(ctxt, user_id, {"password": password})


def delete_user(ctxt: Context, user_id: str) -> None:
    with session.transaction() as s:
        user = get_row(s, models.User, user_id, "user")
        _delete_assignments(s, actors=[("user", user_id)])
        s.delete(user)
        revocations.record(s, user_id=user_id)


# -- groups --------------------------------------------------------------------------

def create_group(ctxt: Context, name: str, domain_id: str, description: str = "",
                 **extra: Any) -> GroupRecord:
    with session.transaction() as s:
        domain = s.get(models.Project, domain_id)
        if domain is None or not domain.is_domain:
            raise _not_found("domain", str(domain_id))
        group = models.Group(id=new_id(), name=name, domain_id=domain_id,
                             description=description or "", extra=extra)
        s.add(group)
        flush_unique(s, "group", name)
        return _group(group)


def get_group(ctxt: Context, group_id: str) -> GroupRecord:
    with session.reader() as s:
        return _group(get_row(s, models.Group, group_id, "group"))


def list_groups(ctxt: Context, name: str | None = None, domain_id: str | None = None,
                user_id: str | None = None, limit: int | None = None,
                marker: str | None = None) -> list[GroupRecord]:
    query = sa.select(models.Group)
    if name is not None:
        query = query.where(models.Group.name == name)
    if domain_id is not None:
        query = query.where(models.Group.domain_id == domain_id)
    if user_id is not None:
        query = query.join(models.GroupMembership,
                           models.GroupMembership.group_id == models.Group.id).where(
            models.GroupMembership.user_id == user_id)
    with session.reader() as s:
        return [_group(row) for row in paging.page(s, query, models.Group, limit, marker)]


def update_group(ctxt: Context, group_id: str, values: dict[str, Any]) -> GroupRecord:
    with session.transaction() as s:
        group = get_row(s, models.Group, group_id, "group")
        apply_values(group, values, ("name", "description"))
        flush_unique(s, "group", group.name)
        return _group(group)


def delete_group(ctxt: Context, group_id: str) -> None:
    with session.transaction() as s:
        group = get_row(s, models.Group, group_id, "group")
        _delete_assignments(s, actors=[("group", group_id)])
        s.delete(group)


def add_group_user(ctxt: Context, group_id: str, user_id: str) -> None:
    with session.transaction() as s:
        get_row(s, models.Group, group_id, "group")
        get_row(s, models.User, user_id, "user")
        if s.get(models.GroupMembership, (group_id, user_id)) is None:
            s.add(models.GroupMembership(group_id=group_id, user_id=user_id))


def _check_member(s: orm.Session, group_id: str, user_id: str) -> None:
    get_row(s, models.Group, group_id, "group")
    get_row(s, models.User, user_id, "user")
    if s.get(models.GroupMembership, (group_id, user_id)) is None:
        raise exceptions.NotFound(f"User {user_id} is not in group {group_id}.")


def check_group_user(ctxt: Context, group_id: str, user_id: str) -> None:
    with session.reader() as s:
        _check_member(s, group_id, user_id)


def remove_group_user(ctxt: Context, group_id: str, user_id: str) -> None:
    with session.transaction() as s:
        _check_member(s, group_id, user_id)
        s.execute(sa.delete(models.GroupMembership).filter_by(group_id=group_id,
                                                              user_id=user_id))


def list_group_users(ctxt: Context, group_id: str) -> list[UserRecord]:
    with session.reader() as s:
        get_row(s, models.Group, group_id, "group")
        return [_user(row) for row in s.scalars(sa.select(models.User).join(
            models.GroupMembership, models.GroupMembership.user_id == models.User.id).where(
            models.GroupMembership.group_id == group_id).order_by(models.User.id))]


def _delete_assignments(s: orm.Session, targets: Sequence[tuple[str, str]] = (),
                        actors: Sequence[tuple[str, str]] = ()) -> None:
    ra = models.RoleAssignment
    for target_type, target_id in targets:
        s.execute(sa.delete(ra).filter_by(target_type=target_type, target_id=target_id))
    for actor_type, actor_id in actors:
        s.execute(sa.delete(ra).filter_by(actor_type=actor_type, actor_id=actor_id))
