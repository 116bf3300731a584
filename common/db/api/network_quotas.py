"""Networking quotas per project: defaults from ``[network] quota_*``, overrides in the
``network_quotas`` table, usage counted from the resources themselves."""
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from common import exceptions
from common.config import CONF
from common.db import models, session
from common.db.api import network_common as common

RESOURCES = {
    "network": models.Network,
    "subnet": models.Subnet,
    "port": models.Port,
    "router": models.Router,
    "floatingip": models.FloatingIP,
    "security_group": models.SecurityGroup,
    "security_group_rule": models.SecurityGroupRule,
}


def _defaults() -> dict[str, int]:
    return {resource: getattr(CONF.network, f"quota_{resource}") for resource in RESOURCES}


def limits(s: orm.Session, project_id: str) -> dict[str, int]:
    values = _defaults()
    query = sa.select(models.NetworkQuota).where(models.NetworkQuota.project_id == project_id)
    for row in s.scalars(query):
        values[row.resource] = row.hard_limit
    return values


def usage(s: orm.Session, project_id: str, resource: str) -> int:
    model: Any = RESOURCES[resource]
    return s.scalar(sa.select(sa.func.count()).select_from(model).where(
        model.project_id == project_id)) or 0


def check(s: orm.Session, project_id: str, resource: str, adding: int = 1) -> None:
    """A 409 NetworkOverQuota when ``adding`` more would pass the project's limit."""
    limit = limits(s, project_id)[resource]
    if limit >= 0 and usage(s, project_id, resource) + adding > limit:
        raise exceptions.NetworkOverQuota(resource=resource)


def get_quota(ctxt: Any, project_id: str) -> dict[str, int]:
    """{"network": 100, "port": 500, ...} of a project (defaults where not set)."""
    with session.reader() as s:
        return limits(s, project_id)


def get_quota_details(ctxt: Any, project_id: str) -> dict[str, dict[str, int]]:
    """{"network": {"limit", "used", "reserved"}, ...} (the quota-details extension)."""
    with session.reader() as s:
        return {resource: {"limit": limit, "used": usage(s, project_id, resource),
                           "reserved": 0}
                for resource, limit in limits(s, project_id).items()}


def default_quota(ctxt: Any, project_id: str) -> dict[str, int]:
    return _defaults()


def list_quotas(ctxt: Any) -> list[dict[str, Any]]:
    """Projects with any non-default limit, each as its limits plus project_id/tenant_id."""
    with session.reader() as s:
        projects = sorted(set(s.scalars(sa.select(models.NetworkQuota.project_id))))
        return [{**limits(s, project), "project_id": project, "tenant_id": project}
                for project in projects]


@common.retry_on_db_conflict
def update_quota(ctxt: Any, project_id: str, wanted: dict[str, int]) -> dict[str, int]:
    """``wanted`` as services.api.network.schemas.quota_limits parsed them."""
    with session.transaction() as s:
        for resource, limit in wanted.items():
            row = s.get(models.NetworkQuota, (project_id, resource))
            if row is None:
                s.add(models.NetworkQuota(project_id=project_id, resource=resource,
                                          hard_limit=limit))
            else:
                row.hard_limit = limit
        s.flush()
        return limits(s, project_id)


def delete_quota(ctxt: Any, project_id: str) -> None:
    """Back to the defaults."""
    with session.transaction() as s:
        s.execute(sa.delete(models.NetworkQuota).where(
            models.NetworkQuota.project_id == project_id))
