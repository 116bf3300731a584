"""Host weighers: each scores the hosts that passed the filters; the best score wins.

As in Nova, each weigher's raw values are normalized to 0..1 over the candidates
(min -> 0, max -> 1) and multiplied by its multiplier, and the products are summed: a
positive resource multiplier spreads instances, a negative one stacks them.
"""
from collections.abc import Sequence

from services.scheduler.host_state import HostState
from services.scheduler.request import SchedulingRequest


class BaseWeigher:
    """One weigher; the class name is its name in ``[scheduler] enabled_weighers``."""

    def multiplier(self) -> float:
        raise NotImplementedError

    def applies(self, request: SchedulingRequest) -> bool:
        return True

    def raw_weights(self, hosts: Sequence[HostState],
                    request: SchedulingRequest) -> list[float]:
        raise NotImplementedError


def weigh(hosts: Sequence[HostState], request: SchedulingRequest,
          weighers: Sequence[BaseWeigher]) -> list[float]:
    """The total weight of each host, in the order of ``hosts``."""
    totals = [0.0] * len(hosts)
    for weigher in weighers:
        multiplier = weigher.multiplier()
        if not multiplier or not weigher.applies(request):
            continue
        raw = weigher.raw_weights(hosts, request)
        low, high = min(raw), max(raw)
        if high == low:
            continue  # every host the same: this weigher decides nothing
        scale = multiplier / (high - low)
        totals = [total + (value - low) * scale for total, value in zip(totals, raw,
                                                                         strict=True)]
    return totals


def all_weighers() -> dict[str, type[BaseWeigher]]:
    """Every weigher class by name."""
    from services.scheduler.weighers import resources, server_group
    classes = (resources.RAMWeigher, resources.CPUWeigher, resources.DiskWeigher,
               server_group.ServerGroupSoftAffinityWeigher,
               server_group.ServerGroupSoftAntiAffinityWeigher)
    return {cls.__name__: cls for cls in classes}
