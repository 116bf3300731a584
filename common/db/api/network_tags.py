"""Tags of networking resources (Neutron's tag extension): ``kind`` is the collection
name of the URL (networks, subnets, ports, routers, floatingips, security_groups)."""
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions, policy
from common.db import models, session
from common.db.api import network as networks
from common.db.api import network_common as common
from common.db.api import (
    network_floatingips,
    network_ports,
    network_routers,
    network_security_groups,
    network_subnets,
)

MAX_TAG_LEN = 255
_FINDERS: dict[str, Callable[[orm.Session, Any, str], Any]] = {
    "networks": networks.find,
    "subnets": network_subnets.find,
    "ports": network_ports.find,
    "routers": network_routers.find,
    "floatingips": network_floatingips.find,
    "security_groups": network_security_groups.find,
}


def _resource(s: orm.Session, ctxt: Any, kind: str, resource_id: str) -> Any:
    finder = _FINDERS.get(kind.replace("-", "_"))
    if finder is None:
        raise exceptions.NotFound(f"Resource {kind} does not support tags.")
    resource = finder(s, ctxt, resource_id)
    policy.authorize_owner(ctxt, resource.project_id)  # a shared network is visible, not taggable
    return resource


def _check(tag: Any) -> str:
    if not isinstance(tag, str) or not tag or len(tag) > MAX_TAG_LEN or "," in tag:
        raise common.invalid(f"'{tag}' is not a valid tag")
    return tag


def get_tags(ctxt: Any, kind: str, resource_id: str) -> list[str]:
    with session.reader() as s:
        resource = _resource(s, ctxt, kind, resource_id)
        return common.tags_of(s, [resource.id])[resource.id]


def check_tag(ctxt: Any, kind: str, resource_id: str, tag: str) -> None:
    """Nothing when the resource has ``tag``; TagNotFound (404) when not."""
    if tag not in get_tags(ctxt, kind, resource_id):
        raise exceptions.TagNotFound(tag=tag, resource=kind, resource_id=resource_id)


@common.retry_on_db_conflict
def replace_tags(ctxt: Any, kind: str, resource_id: str, tags: Any) -> list[str]:
    if not isinstance(tags, list):
        raise common.invalid(f"'{tags}' is not a list of tags")
    wanted = sorted({_check(tag) for tag in tags})
    with session.transaction() as s:
        resource = _resource(s, ctxt, kind, resource_id)
        common.delete_tags(s, resource.id)
        s.add_all(models.NetworkTag(resource_id=resource.id, tag=tag) for tag in wanted)
        common.bump(resource)
        return wanted


@common.retry_on_db_conflict
def add_tag(ctxt: Any, kind: str, resource_id: str, tag: str) -> None:
    _check(tag)
    with session.transaction() as s:
        resource = _resource(s, ctxt, kind, resource_id)
        if s.get(models.NetworkTag, (resource.id, tag)) is None:
            s.add(models.NetworkTag(resource_id=resource.id, tag=tag))
            common.bump(resource)


def remove_tag(ctxt: Any, kind: str, resource_id: str, tag: str) -> None:
    with session.transaction() as s:
        resource = _resource(s, ctxt, kind, resource_id)
        row = s.get(models.NetworkTag, (resource.id, tag))
        if row is None:
            raise exceptions.TagNotFound(tag=tag, resource=kind, resource_id=resource_id)
        s.delete(row)
        common.bump(resource)


def remove_all_tags(ctxt: Any, kind: str, resource_id: str) -> None:
    with session.transaction() as s:
        resource = _resource(s, ctxt, kind, resource_id)
        if session.rowcount(s.execute(sa.delete(models.NetworkTag).where(
                models.NetworkTag.resource_id == resource.id))):
            common.bump(resource)
