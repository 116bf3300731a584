"""Server groups: (anti-)affinity policies and their members."""
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions
from common.db import models, session
from common.db.types import utcnow

ServerGroup = models.ServerGroup
POLICIES = ("affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity")


def create(name: str, policy: str, user_id: str, project_id: str,
           rules: Mapping[str, int] | None = None) -> ServerGroup:
    if policy not in POLICIES:
        raise exceptions.BadRequest(f"Invalid server group policy {policy}")
    with session.transaction() as s:
        group = ServerGroup(name=name, policy=policy, user_id=user_id,
                            project_id=project_id, rules=dict(rules or {}), members=[])
        s.add(group)
        return group


def get(uuid: str, project_id: str | None = None) -> ServerGroup:
    query = sa.select(ServerGroup).filter_by(uuid=uuid)
    if project_id is not None:
        query = query.filter_by(project_id=project_id)
    with session.reader() as s:
        group = s.scalars(query).one_or_none()
    if group is None:
        raise exceptions.ServerGroupNotFound(group_uuid=uuid)
    return group


def list_groups(project_id: str | None = None, limit: int | None = None,
                offset: int | None = None) -> list[ServerGroup]:
    """Groups of a project (all projects when None), oldest first; limit/offset paging."""
    query = sa.select(ServerGroup).order_by(ServerGroup.id)
    if project_id is not None:
        query = query.filter_by(project_id=project_id)
    if offset:
        query = query.offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with session.reader() as s:
        return list(s.scalars(query))


def delete(uuid: str, project_id: str | None = None) -> None:
    query = sa.delete(ServerGroup).filter_by(uuid=uuid)
    if project_id is not None:
        query = query.filter_by(project_id=project_id)
    with session.transaction() as s:
        deleted = session.rowcount(s.execute(query))
    if not deleted:
        raise exceptions.ServerGroupNotFound(group_uuid=uuid)


def group_of(instance_uuid: str) -> ServerGroup | None:
    """The group an instance belongs to, if any."""
    member = models.ServerGroupMember
    with session.reader() as s:
        return s.scalars(sa.select(ServerGroup).join(member, member.group_id == ServerGroup.id)
                         .where(member.instance_uuid == instance_uuid)).one_or_none()


def count(project_id: str) -> int:
    with session.reader() as s:
        return s.scalar(sa.select(sa.func.count()).where(
            ServerGroup.project_id == project_id)) or 0


def to_spec(group: ServerGroup) -> dict:
    """The group as the scheduler's request spec carries it."""
    return {"uuid": group.uuid, "policy": group.policy, "rules": dict(group.rules or {}),
            "members": [member.instance_uuid for member in group.members]}


def member_hosts(group_uuid: str, exclude: str | None = None,
                 s: orm.Session | None = None) -> dict[str, int]:
    """{host: number of the group's members with resources claimed there}.

    Allocations rather than instance.host: a member the scheduler just placed counts
    before its build even starts. ``s``: run inside the caller's transaction.
    """
    member = models.ServerGroupMember
    alloc = models.Allocation
    provider = models.ResourceProvider
    query = (sa.select(provider.name, sa.func.count(sa.distinct(alloc.consumer_id)))
             .join(alloc, alloc.resource_provider_id == provider.id)
             .join(member, member.instance_uuid == alloc.consumer_id)
             .join(ServerGroup, ServerGroup.id == member.group_id)
             .where(ServerGroup.uuid == group_uuid)
             .group_by(provider.name))
    if exclude is not None:
        query = query.where(alloc.consumer_id != exclude)
    if s is not None:
        return {name: count for name, count in s.execute(query)}
    with session.reader() as own:
        return {name: count for name, count in own.execute(query)}


def lock(s: orm.Session, group_uuid: str) -> None:
    """Serialize claims of one group's members (a row lock until the transaction ends)."""
    s.execute(sa.update(ServerGroup).where(ServerGroup.uuid == group_uuid)
              .values(updated_at=utcnow()).execution_options(synchronize_session=False))
