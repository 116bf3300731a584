"""Roles, role implications and role assignments, and the effective roles they add up to.

An assignment gives an actor (user or group) a role on a target (project, domain or the
system). The effective roles of a user on a target are the roles assigned to the user
and to the user's groups there, plus every role those imply (transitively), minus
domain-specific roles, which only ever serve as a source of implications (as in
Keystone).
"""
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import context, exceptions
from common.config import CONF
from common.db import models, session
from common.db.api import paging
from common.db.api.identity import apply_values, flush_unique, get_row, new_id
from common.db.api.records import from_row
from common.db.models.identity import ROOT

ACTOR_MODELS = {"user": (models.User, "user"), "group": (models.Group, "group")}
SYSTEM = "system"
Context = context.RequestContext


@dataclass(frozen=True)
class RoleRecord:
    """A role; a domain-specific one has its domain's id, a global one ROOT."""
    id: str
    name: str
    domain_id: str
    description: str | None
    extra: dict[str, Any]
    created_at: datetime.datetime | None
    updated_at: datetime.datetime | None


def _role(row: models.Role) -> RoleRecord:
    return from_row(RoleRecord, row, extra=dict(row.extra or {}))


# -- roles ---------------------------------------------------------------------------

def create_role(ctxt: Context, name: str, domain_id: str | None = None,
                description: str | None = None, role_id: str | None = None,
                **extra: Any) -> RoleRecord:
    with session.transaction() as s:
        if domain_id:
            domain = s.get(models.Project, domain_id)
            if domain is None or not domain.is_domain:
                raise exceptions.NotFound(f"Could not find domain: {domain_id}.")
        role = models.Role(id=role_id or new_id(), name=name, domain_id=domain_id or ROOT,
                           description=description, extra=extra)
        s.add(role)
        flush_unique(s, "role", name)
        return _role(role)


def get_role(ctxt: Context, role_id: str) -> RoleRecord:
    with session.reader() as s:
        return _role(get_row(s, models.Role, role_id, "role"))


def find_role(ctxt: Context, name: str, domain_id: str | None = None) -> RoleRecord:
    with session.reader() as s:
        role = s.scalars(sa.select(models.Role).filter_by(
            name=name, domain_id=domain_id or ROOT)).one_or_none()
        if role is None:
            raise exceptions.NotFound(f"Could not find role: {name}.")
        return _role(role)


def list_roles(ctxt: Context, name: str | None = None, domain_id: str | None = None,
               limit: int | None = None, marker: str | None = None) -> list[RoleRecord]:
    """Global roles, or the roles of ``domain_id`` (Keystone lists them separately)."""
    query = sa.select(models.Role).where(models.Role.domain_id == (domain_id or ROOT))
    if name is not None:
        query = query.where(models.Role.name == name)
    with session.reader() as s:
        return [_role(row) for row in paging.page(s, query, models.Role, limit, marker)]


def roles_by_id(ctxt: Context, role_ids: Iterable[str]) -> dict[str, RoleRecord]:
    with session.reader() as s:
        return {r.id: _role(r) for r in s.scalars(sa.select(models.Role).where(
            models.Role.id.in_(list(role_ids))))}


def update_role(ctxt: Context, role_id: str, values: dict[str, Any]) -> RoleRecord:
    with session.transaction() as s:
        role = get_row(s, models.Role, role_id, "role")
        apply_values(role, values, ("name", "description"))
        flush_unique(s, "role", role.name)
        return _role(role)


def delete_role(ctxt: Context, role_id: str) -> None:
    with session.transaction() as s:
        s.delete(get_row(s, models.Role, role_id, "role"))


# -- implied roles -------------------------------------------------------------------

def create_implied_role(ctxt: Context, prior_role_id: str, implied_role_id: str) -> None:
    with session.transaction() as s:
        prior = get_row(s, models.Role, prior_role_id, "role")
        implied = get_row(s, models.Role, implied_role_id, "role")
        if implied.name in CONF.identity.prohibited_implied_roles:
            raise exceptions.Forbidden(f"{implied.name} may not be implied by any role.")
        if prior.domain_id == ROOT and implied.domain_id != ROOT:
            raise exceptions.Forbidden("Global role cannot imply a domain-specific role.")
        if prior_role_id in _closure(_implications(s), [implied_role_id]):
            raise exceptions.Forbidden("The implication would make a cycle.")
        if s.get(models.ImpliedRole, (prior_role_id, implied_role_id)) is None:
            s.add(models.ImpliedRole(prior_role_id=prior_role_id,
                                     implied_role_id=implied_role_id))


def _check_implication(s: orm.Session, prior_role_id: str, implied_role_id: str) -> None:
    if s.get(models.ImpliedRole, (prior_role_id, implied_role_id)) is None:
        raise exceptions.NotFound(f"{prior_role_id} does not imply {implied_role_id}.")


def check_implied_role(ctxt: Context, prior_role_id: str, implied_role_id: str) -> None:
    with session.reader() as s:
        _check_implication(s, prior_role_id, implied_role_id)


def delete_implied_role(ctxt: Context, prior_role_id: str, implied_role_id: str) -> None:
    with session.transaction() as s:
        _check_implication(s, prior_role_id, implied_role_id)
        s.execute(sa.delete(models.ImpliedRole).filter_by(
            prior_role_id=prior_role_id, implied_role_id=implied_role_id))


def list_implications(ctxt: Context,
                      prior_role_id: str | None = None) -> dict[str, list[str]]:
    """prior role id → the role ids it implies directly."""
    with session.reader() as s:
        if prior_role_id is not None:
            get_row(s, models.Role, prior_role_id, "role")
        rules = _implications(s)
    if prior_role_id is not None:
        return {prior_role_id: rules.get(prior_role_id, [])}
    return rules


def _implications(s: orm.Session) -> dict[str, list[str]]:
    rules: dict[str, list[str]] = {}
    for prior, implied in s.execute(sa.select(models.ImpliedRole.prior_role_id,
                                              models.ImpliedRole.implied_role_id)):
        rules.setdefault(prior, []).append(implied)
    return rules


def _closure(rules: dict[str, list[str]], role_ids: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    pending = list(role_ids)
    while pending:
        role_id = pending.pop()
        if role_id not in seen:
            seen.add(role_id)
            pending.extend(rules.get(role_id, []))
    return seen


# -- assignments ---------------------------------------------------------------------

def _check_target(s: orm.Session, target_type: str, target_id: str) -> None:
    if target_type == SYSTEM:
        return
    target = get_row(s, models.Project, target_id, target_type)
    if target.is_domain != (target_type == "domain"):
        raise exceptions.NotFound(f"Could not find {target_type}: {target_id}.")


def _assignment_key(actor_type: str, actor_id: str, target_type: str, target_id: str,
                    role_id: str) -> tuple[str, str, str, str, str]:
    return (actor_type, actor_id, target_type, target_id, role_id)


def grant(ctxt: Context, actor_type: str, actor_id: str, target_type: str, target_id: str,
          role_id: str) -> None:
    with session.transaction() as s:
        model, kind = ACTOR_MODELS[actor_type]
        get_row(s, model, actor_id, kind)
        _check_target(s, target_type, target_id)
        get_row(s, models.Role, role_id, "role")
        key = _assignment_key(actor_type, actor_id, target_type, target_id, role_id)
        if s.get(models.RoleAssignment, key) is None:
            s.add(models.RoleAssignment(actor_type=actor_type, actor_id=actor_id,
                                        target_type=target_type, target_id=target_id,
                                        role_id=role_id))


def _check_grant(s: orm.Session, key: tuple[str, str, str, str, str]) -> None:
    if s.get(models.RoleAssignment, key) is None:
        actor_type, actor_id, target_type, target_id, role_id = key
        raise exceptions.NotFound(f"Could not find role assignment with role: "
                                  f"{role_id}, {actor_type}: {actor_id}, "
                                  f"{target_type}: {target_id}.")


def check_grant(ctxt: Context, actor_type: str, actor_id: str, target_type: str,
                target_id: str, role_id: str) -> None:
    with session.reader() as s:
        _check_grant(s, _assignment_key(actor_type, actor_id, target_type, target_id,
                                        role_id))


def revoke_grant(ctxt: Context, actor_type: str, actor_id: str, target_type: str,
                 target_id: str, role_id: str) -> None:
    with session.transaction() as s:
        _check_grant(s, _assignment_key(actor_type, actor_id, target_type, target_id,
                                        role_id))
        s.execute(sa.delete(models.RoleAssignment).filter_by(
            actor_type=actor_type, actor_id=actor_id, target_type=target_type,
            target_id=target_id, role_id=role_id))


def list_grants(ctxt: Context, actor_type: str, actor_id: str, target_type: str,
                target_id: str) -> list[RoleRecord]:
    """Roles assigned directly to the actor on the target."""
    with session.reader() as s:
        model, kind = ACTOR_MODELS[actor_type]
        get_row(s, model, actor_id, kind)
        _check_target(s, target_type, target_id)
        return [_role(row) for row in s.scalars(sa.select(models.Role).join(
            models.RoleAssignment, models.RoleAssignment.role_id == models.Role.id).where(
            models.RoleAssignment.actor_type == actor_type,
            models.RoleAssignment.actor_id == actor_id,
            models.RoleAssignment.target_type == target_type,
            models.RoleAssignment.target_id == target_id).order_by(models.Role.id))]


@dataclass(frozen=True)
class Assignment:
    actor_type: str
    actor_id: str
    target_type: str
    target_id: str
    role_id: str
    group_id: str | None = None  # set on an effective assignment that came from a group
    prior_role_id: str | None = None  # set when the role is implied by another


def list_assignments(ctxt: Context, user_id: str | None = None,
                     group_id: str | None = None, role_id: str | None = None,
                     project_id: str | None = None,
                     domain_id: str | None = None, system: bool = False,
                     effective: bool = False) -> list[Assignment]:
    """GET /v3/role_assignments: direct assignments, or with ``effective`` the ones that
    group membership and role implication add up to, per user."""
    with session.reader() as s:
        ra = models.RoleAssignment
        query = sa.select(ra)
        target = (("project", project_id) if project_id else ("domain", domain_id)
                  if domain_id else (SYSTEM, SYSTEM) if system else None)
        if target:
            query = query.where(ra.target_type == target[0], ra.target_id == target[1])
        if not effective:
            if user_id:
                query = query.where(ra.actor_type == "user", ra.actor_id == user_id)
            if group_id:
                query = query.where(ra.actor_type == "group", ra.actor_id == group_id)
            if role_id:
                query = query.where(ra.role_id == role_id)
            return [Assignment(r.actor_type, r.actor_id, r.target_type, r.target_id,
                               r.role_id) for r in s.scalars(query)]
        if user_id:
            groups = list(s.scalars(sa.select(models.GroupMembership.group_id).filter_by(
                user_id=user_id)))
            query = query.where(sa.or_(
                sa.and_(ra.actor_type == "user", ra.actor_id == user_id),
                sa.and_(ra.actor_type == "group", ra.actor_id.in_(groups))))
        rows = list(s.scalars(query))
        members = _members(s, {r.actor_id for r in rows if r.actor_type == "group"})
        rules = _implications(s)
        domain_roles = set(s.scalars(sa.select(models.Role.id).where(
            models.Role.domain_id != ROOT)))
    result = []
    for row in rows:
        users = ([(row.actor_id, None)] if row.actor_type == "user"
                 else [(u, row.actor_id) for u in members.get(row.actor_id, [])])
        for uid, gid in users:
            if user_id and uid != user_id:
                continue
            for rid, prior in _expand(rules, row.role_id):
                if rid in domain_roles or (role_id and rid != role_id):
                    continue
                result.append(Assignment("user", uid, row.target_type, row.target_id, rid,
                                         gid, prior))
    return result


def _members(s: orm.Session, group_ids: set[str]) -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    if group_ids:
        for gid, uid in s.execute(sa.select(models.GroupMembership.group_id,
                                            models.GroupMembership.user_id).where(
                models.GroupMembership.group_id.in_(group_ids))):
            members.setdefault(gid, []).append(uid)
    return members


def _expand(rules: dict[str, list[str]], role_id: str) -> list[tuple[str, str | None]]:
    """The role itself, then every role it implies with the role that implies it."""
    expanded: list[tuple[str, str | None]] = [(role_id, None)]
    seen = {role_id}
    pending = [role_id]
    while pending:
        prior = pending.pop()
        for implied in rules.get(prior, []):
            if implied not in seen:
                seen.add(implied)
                expanded.append((implied, prior))
                pending.append(implied)
    return expanded


def effective_roles(ctxt: Context, user_id: str, target_type: str,
                    target_id: str) -> list[RoleRecord]:
    """The global roles ``user_id`` holds on the target, implications included."""
    with session.reader() as s:
        ra = models.RoleAssignment
        groups = sa.select(models.GroupMembership.group_id).filter_by(user_id=user_id)
        direct = set(s.scalars(sa.select(ra.role_id).where(
            ra.target_type == target_type, ra.target_id == target_id,
            sa.or_(sa.and_(ra.actor_type == "user", ra.actor_id == user_id),
                   sa.and_(ra.actor_type == "group", ra.actor_id.in_(groups))))))
        if not direct:
            return []
        role_ids = _closure(_implications(s), direct)
        return [_role(row) for row in s.scalars(sa.select(models.Role).where(
            models.Role.id.in_(role_ids), models.Role.domain_id == ROOT).order_by(
            models.Role.name))]


def imply(ctxt: Context, role_ids: Iterable[str]) -> set[str]:
    """``role_ids`` and every role they imply."""
    with session.reader() as s:
        return _closure(_implications(s), role_ids)


def target_ids(ctxt: Context, user_id: str, target_type: str) -> list[str]:
    """Projects (or domains) where ``user_id`` or one of its groups holds any role."""
    with session.reader() as s:
        ra = models.RoleAssignment
        groups = sa.select(models.GroupMembership.group_id).filter_by(user_id=user_id)
        return list(s.scalars(sa.select(ra.target_id).distinct().where(
            ra.target_type == target_type,
            sa.or_(sa.and_(ra.actor_type == "user", ra.actor_id == user_id),
                   sa.and_(ra.actor_type == "group", ra.actor_id.in_(groups))))))
