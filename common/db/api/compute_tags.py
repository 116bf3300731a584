"""Server tags (microversion 2.26): at most MAX_TAGS per server, matched by list
filters (tags, tags-any, not-tags, not-tags-any)."""
from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy import orm

from common import context, exceptions
from common.db import models, session

MAX_TAGS = 50
_Tag = models.InstanceTag
Context = context.RequestContext


def _check_instance(s: orm.Session, uuid: str) -> None:
    if s.scalar(sa.select(models.Instance.id).where(
            models.Instance.uuid == uuid, models.Instance.deleted.is_(False))) is None:
        raise exceptions.InstanceNotFound(instance_id=uuid)


def _too_many(count: int) -> exceptions.BadRequest:
    return exceptions.BadRequest(f"The number of tags exceeded the per-server limit "
                                 f"{MAX_TAGS}: {count} given.")


def tags_of(ctxt: Context, uuids: Iterable[str]) -> dict[str, list[str]]:
    """{instance uuid: its tags, sorted} for a page of servers, in one query."""
    uuids = list(set(uuids))
    result: dict[str, list[str]] = {uuid: [] for uuid in uuids}
    if uuids:
        with session.reader() as s:
            for uuid, tag in s.execute(sa.select(_Tag.instance_uuid, _Tag.tag)
                                       .where(_Tag.instance_uuid.in_(uuids))
                                       .order_by(_Tag.tag)):
                result[uuid].append(tag)
    return result


def replace(ctxt: Context, uuid: str, tags: Iterable[str]) -> list[str]:
    wanted = sorted(set(tags))
    if len(wanted) > MAX_TAGS:
        raise _too_many(len(wanted))
    with session.transaction() as s:
        _check_instance(s, uuid)
        s.execute(sa.delete(_Tag).where(_Tag.instance_uuid == uuid))
        s.add_all(_Tag(instance_uuid=uuid, tag=tag) for tag in wanted)
    return wanted


def add(ctxt: Context, uuid: str, tag: str) -> bool:
    """Add one tag; False when the server already had it."""
    with session.transaction() as s:
        _check_instance(s, uuid)
        current = set(s.scalars(sa.select(_Tag.tag).where(_Tag.instance_uuid == uuid)))
        if tag in current:
            return False
        if len(current) >= MAX_TAGS:
            raise _too_many(len(current) + 1)
        s.add(_Tag(instance_uuid=uuid, tag=tag))
        return True


def delete(ctxt: Context, uuid: str, tag: str | None = None) -> None:
    """Remove one tag (NotFound when absent) or, with ``tag`` None, all of them."""
    query = sa.delete(_Tag).where(_Tag.instance_uuid == uuid)
    if tag is not None:
        query = query.where(_Tag.tag == tag)
    with session.transaction() as s:
        _check_instance(s, uuid)
        deleted = session.rowcount(s.execute(query))
    if tag is not None and not deleted:
        raise exceptions.NotFound(f"Tag {tag} could not be found for server {uuid}.")


def _having(tags: list[str], every: bool) -> set[str]:
    query = sa.select(_Tag.instance_uuid).where(_Tag.tag.in_(tags))
    if every:
        query = query.group_by(_Tag.instance_uuid).having(
            sa.func.count(sa.distinct(_Tag.tag)) == len(set(tags)))
    with session.reader() as s:
        return set(s.scalars(query))


def matching(ctxt: Context, tags: list[str], tags_any: list[str], not_tags: list[str],
             not_tags_any: list[str]) -> tuple[set[str] | None, set[str]]:
    """(servers to keep, or None for all; servers to leave out) for Nova's filters:
    ``tags`` all of them, ``tags-any`` one of them, ``not-tags`` not all of them,
    ``not-tags-any`` none of them."""
    keep: set[str] | None = None
    if tags:
        keep = _having(tags, every=True)
    if tags_any:
        found = _having(tags_any, every=False)
        keep = found if keep is None else keep & found
    drop: set[str] = set()
    if not_tags:
        drop |= _having(not_tags, every=True)
    if not_tags_any:
        drop |= _having(not_tags_any, every=False)
    return keep, drop
