"""Server group filters: affinity (all members on one host) and anti-affinity (members
on distinct hosts, or at most ``max_server_per_host`` per host).

The group's current hosts come from its members' allocations, so members being built
right now count too; the claim re-checks the policy under a lock on the group row.
"""
from collections.abc import Mapping
from typing import Any

from services.scheduler.filters import BaseFilter
from services.scheduler.host_state import HostState
from services.scheduler.request import SchedulingRequest


def max_per_host(group: Mapping[str, Any]) -> int:
    return int((group.get("rules") or {}).get("max_server_per_host", 1))


class ServerGroupAffinityFilter(BaseFilter):
    def applies(self, request: SchedulingRequest) -> bool:
        return request.group_policy == "affinity"

    def host_passes(self, host: HostState, request: SchedulingRequest) -> bool:
        return not request.group_hosts or host.host in request.group_hosts


class ServerGroupAntiAffinityFilter(BaseFilter):
    def applies(self, request: SchedulingRequest) -> bool:
        return request.group_policy == "anti-affinity"

    def host_passes(self, host: HostState, request: SchedulingRequest) -> bool:
        return request.group_hosts.get(host.host, 0) < max_per_host(request.group or {})
