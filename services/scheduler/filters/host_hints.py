"""Nova's scheduler hints about other servers' hosts: ``same_host`` (on a host where one
of the named servers is) and ``different_host`` (on none of theirs). Each takes a
server uuid or a list of them; servers that do not exist (or have no host) name no host.
"""
from typing import Any

from common import context
from common.db.api import compute_instances
from services.scheduler.filters import BaseFilter
from services.scheduler.host_state import HostState
from services.scheduler.request import SchedulingRequest


def _uuids(value: Any) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(item) for item in value]


class _HostsOfServers(BaseFilter):
    hint = ""

    def applies(self, request: SchedulingRequest) -> bool:
        return bool(_uuids(request.spec.get("scheduler_hints", {}).get(self.hint)))

    def prepare(self, request: SchedulingRequest) -> None:
        uuids = _uuids(request.spec["scheduler_hints"][self.hint])
        found = compute_instances.list_instances(context.get_admin_context(),
                                                 {"uuid": uuids})
        self.hosts = {instance.host for instance in found if instance.host}


class SameHostFilter(_HostsOfServers):
    hint = "same_host"

    def host_passes(self, host: HostState, request: SchedulingRequest) -> bool:
        return host.host in self.hosts


class DifferentHostFilter(_HostsOfServers):
    hint = "different_host"

    def host_passes(self, host: HostState, request: SchedulingRequest) -> bool:
        return host.host not in self.hosts
