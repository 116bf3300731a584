"""DNS quotas per project: [dns] quota_* defaults, overridden per project in dns_quotas."""
import sqlalchemy as sa
from sqlalchemy import orm

from common import context, exceptions
from common.config import CONF
from common.db import models, session

# resource -> option holding its default; -1 means unlimited
RESOURCES = {
    "zones": "quota_zones",
    "zone_recordsets": "quota_zone_recordsets",
    "zone_records": "quota_zone_records",
    "recordset_records": "quota_recordset_records",
    "api_export_size": "quota_api_export_size",
}
Context = context.RequestContext


def _overrides(s: orm.Session, project_id: str) -> dict[str, int]:
    rows = s.scalars(sa.select(models.DNSQuota).filter_by(project_id=project_id))
    return {row.resource: row.hard_limit for row in rows}


def _limits(s: orm.Session, project_id: str) -> dict[str, int]:
    limits = {resource: getattr(CONF.dns, option) for resource, option in RESOURCES.items()}
    limits.update(_overrides(s, project_id))
    return limits


def get_quotas(ctxt: Context, project_id: str) -> dict[str, int]:
    """The limits that apply to ``project_id`` (named: an admin reads any project's),
    every resource listed."""
    with session.reader() as s:
        return _limits(s, project_id)


def set_quotas(ctxt: Context, project_id: str, values: dict[str, int]) -> dict[str, int]:
    """Override some limits of ``project_id``; returns every limit that now applies."""
    for resource, limit in values.items():
        if resource not in RESOURCES:
            raise exceptions.InvalidObject(f"Unknown quota resource {resource!r}.")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < -1:
            raise exceptions.InvalidObject(f"Quota {resource} must be an integer >= -1.")
    with session.transaction() as s:
        existing = {row.resource: row for row in
                    s.scalars(sa.select(models.DNSQuota).filter_by(project_id=project_id))}
        for resource, limit in values.items():
            if resource in existing:
                existing[resource].hard_limit = limit
            else:
                s.add(models.DNSQuota(project_id=project_id, resource=resource,
                                      hard_limit=limit))
        s.flush()
        return _limits(s, project_id)


def reset_quotas(ctxt: Context, project_id: str) -> None:
    """Drop every override of ``project_id``: the defaults apply again."""
    with session.transaction() as s:
        s.execute(sa.delete(models.DNSQuota).filter_by(project_id=project_id))


def check(s: orm.Session, project_id: str, resource: str, wanted: int) -> None:
    """Raise OverQuota when ``wanted`` units of ``resource`` exceed the project's limit."""
    limit = _limits(s, project_id)[resource]
    if limit != -1 and wanted > limit:
        raise exceptions.OverQuota(resource=resource)
