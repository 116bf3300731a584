"""Server groups: (anti-)affinity policies and their members. A project's groups are
its own; an admin context sees every project's."""
import dataclasses
import datetime
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session
from common.db.api.records import from_row
from common.db.types import utcnow

ServerGroup = models.ServerGroup
Context = context.RequestContext
POLICIES = ("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity")


@dataclasses.dataclass(frozen=True)
class ServerGroupRecord:
    id: int
    uuid: str
    name: str
    policy: str
    user_id: str
    project_id: str
    rules: dict[str, Any]
    members: list[str]
    created_at: datetime.datetime | None


def _record(group: ServerGroup) -> ServerGroupRecord:
    return from_row(ServerGroupRecord, group, rules=dict(group.rules or {}),
                    members=[member.instance_uuid for member in group.members])


def _visible(ctxt: Context, query: Any) -> Any:
    return query if ctxt.is_admin else query.filter_by(project_id=ctxt.project_id)


def create(ctxt: Context, name: str, policy: str,
           rules: Mapping[str, int] | None = None) -> ServerGroupRecord:
    """A group of the context's user and project."""
    if policy not in POLICIES:
        raise exceptions.BadRequest(f"Invalid server group policy {policy}")
    with session.transaction() as s:
        group = ServerGroup(name=name, policy=policy, user_id=ctxt.scoped_user_id,
                            project_id=ctxt.scoped_project_id, rules=dict(rules or {}),
                            members=[])
        s.add(group)
        s.flush()
        return _record(group)


def get(ctxt: Context, uuid: str) -> ServerGroupRecord:
    with session.reader() as s:
        group = s.scalars(_visible(ctxt, sa.select(ServerGroup).filter_by(uuid=uuid))
                          ).one_or_none()
        if group is None:
            raise exceptions.ServerGroupNotFound(group_uuid=uuid)
        return _record(group)


def list_groups(ctxt: Context, all_projects: bool = False, limit: int | None = None,
                offset: int | None = None) -> list[ServerGroupRecord]:
    """The context's project's groups (every project's with ``all_projects``), oldest
    first; limit/offset paging."""
    query = sa.select(ServerGroup).order_by(ServerGroup.id)
    if not all_projects:
        query = query.filter_by(project_id=ctxt.project_id)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with session.reader() as s:
        return [_record(group) for group in s.scalars(query)]


def delete(ctxt: Context, uuid: str) -> None:
    with session.transaction() as s:
        deleted = session.rowcount(s.execute(
            _visible(ctxt, sa.delete(ServerGroup).filter_by(uuid=uuid))))
    if not deleted:
        raise exceptions.ServerGroupNotFound(group_uuid=uuid)


def group_of(ctxt: Context, instance_uuid: str) -> ServerGroupRecord | None:
    """The group an instance belongs to, if any."""
    member = models.ServerGroupMember
    with session.reader() as s:
        group = s.scalars(sa.select(ServerGroup)
                          .join(member, member.group_id == ServerGroup.id)
                          .where(member.instance_uuid == instance_uuid)).one_or_none()
        return None if group is None else _record(group)


def count(ctxt: Context, project_id: str) -> int:
    """The project's groups (named: an admin counts another project's quota use)."""
    with session.reader() as s:
        return s.scalar(sa.select(sa.func.count()).where(
            ServerGroup.project_id == project_id)) or 0


def to_spec(group: ServerGroupRecord) -> dict:
    """The group as the scheduler's request spec carries it."""
    return {"uuid": group.uuid, "policy": group.policy, "rules": dict(group.rules),
            "members": list(group.members)}


def member_hosts(ctxt: Context, group_uuid: str) -> dict[str, int]:
    """{host: number of the group's members with resources claimed there}.

    Allocations rather than instance.host: a member the scheduler just placed counts
    before its build even starts."""
    with session.reader() as s:
        return member_hosts_in(s, group_uuid)


def member_hosts_in(s: orm.Session, group_uuid: str,
                    exclude: str | None = None) -> dict[str, int]:
    """``member_hosts`` inside the caller's transaction (a claim's check), leaving out
    the ``exclude`` consumer's own allocations. A forced-down host counts no member:
    its servers are leaving it (evacuated), and the policy holds among the others."""
    member = models.ServerGroupMember
    alloc = models.Allocation
    provider = models.ResourceProvider
    down = sa.select(models.Service.host).where(models.Service.forced_down.is_(True))
    query = (sa.select(provider.name, sa.func.count(sa.distinct(alloc.consumer_id)))
             .join(alloc, alloc.resource_provider_id == provider.id)
             .join(member, member.instance_uuid == alloc.consumer_id)
             .join(ServerGroup, ServerGroup.id == member.group_id)
             .where(ServerGroup.uuid == group_uuid, provider.name.not_in(down))
             .group_by(provider.name))
    if exclude is not None:
        query = query.where(alloc.consumer_id != exclude)
    return {name: count for name, count in s.execute(query)}


def lock(s: orm.Session, group_uuid: str) -> None:
    """Serialize claims of one group's members (a row lock until the transaction ends)."""
    s.execute(sa.update(ServerGroup).where(ServerGroup.uuid == group_uuid)
              .values(updated_at=utcnow()).execution_options(synchronize_session=False))
