"""Resource claims of the scheduler (and the conductor's reschedules).

A claim is placement.claim (atomic, generation-checked) plus, for a hard affinity or
anti-affinity group, the policy re-checked inside the same transaction under a lock on
the group row: two schedulers placing members of one anti-affinity group at the same
moment cannot both pick the same host.
"""
from collections.abc import Mapping

from sqlalchemy import orm

from common import context
from common.db.api import compute_server_groups, placement
from services.scheduler.filters.server_group import max_per_host

HARD_POLICIES = ("affinity", "anti-affinity")


def _group_check(group: Mapping | None, consumer_id: str) -> placement.GroupCheck | None:
    if not group or group.get("policy") not in HARD_POLICIES:
        return None

    def check(s: orm.Session, host: str) -> bool:
        compute_server_groups.lock(s, group["uuid"])
        hosts = compute_server_groups.member_hosts_in(s, group["uuid"], exclude=consumer_id)
        if group["policy"] == "anti-affinity":
            return hosts.get(host, 0) < max_per_host(group)
        return not hosts or host in hosts

    return check


def claim(ctxt: context.RequestContext, consumer_id: str, host: str, resources: Mapping[str, int],
          group: Mapping | None = None) -> int | None:
    """Claim ``resources`` on ``host``; the new generation, or None if it does not fit
    (or the group policy forbids the host)."""
    return placement.claim(ctxt, consumer_id, host, resources, _group_check(group, consumer_id))


def release(ctxt: context.RequestContext, consumer_id: str, host: str | None = None) -> bool:
    return placement.release(ctxt, consumer_id, host)
