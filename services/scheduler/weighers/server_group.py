"""Soft (anti-)affinity weighers: prefer hosts with more (fewer) members of the group."""
from collections.abc import Sequence

from common.config import CONF
from services.scheduler.host_state import HostState
from services.scheduler.request import SchedulingRequest
from services.scheduler.weighers import BaseWeigher


class ServerGroupSoftAffinityWeigher(BaseWeigher):
    policy = "soft-affinity"
    sign = 1.0

    def multiplier(self) -> float:
        return CONF.scheduler.soft_affinity_weight_multiplier

    def applies(self, request: SchedulingRequest) -> bool:
        return request.group_policy == self.policy

    def raw_weights(self, hosts: Sequence[HostState],
                    request: SchedulingRequest) -> list[float]:
        members = request.group_hosts
        return [self.sign * members.get(host.host, 0) for host in hosts]


class ServerGroupSoftAntiAffinityWeigher(ServerGroupSoftAffinityWeigher):
    policy = "soft-anti-affinity"
    sign = -1.0

    def multiplier(self) -> float:
        return CONF.scheduler.soft_anti_affinity_weight_multiplier
