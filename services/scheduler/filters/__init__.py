"""Host filters: each drops the hosts an instance cannot go to.

A filter that has nothing to check for a request (no AZ asked, no group, ...) says so in
``applies`` and is skipped for the whole request, so the per-host loop only runs the
checks that matter: at 10,000 hosts that loop is most of the scheduler's time.
"""
from services.scheduler.host_state import HostState
from services.scheduler.request import SchedulingRequest


class BaseFilter:
    """One host filter; the class name is its name in ``[scheduler] enabled_filters``."""

    def applies(self, request: SchedulingRequest) -> bool:
        return True

    def prepare(self, request: SchedulingRequest) -> None:
        """Called before each instance is placed (the clock, group hosts may move)."""

    def host_passes(self, host: HostState, request: SchedulingRequest) -> bool:
        raise NotImplementedError

    def filter_all(self, hosts: list[HostState],
                   request: SchedulingRequest) -> list[HostState]:
        return [host for host in hosts if self.host_passes(host, request)]


def all_filters() -> dict[str, type[BaseFilter]]:
    """Every filter class by name."""
    from services.scheduler.filters import (
        aggregate_extra_specs,
        availability_zone,
        compute,
        host_hints,
        image_properties,
        server_group,
    )
    classes = (compute.ComputeFilter, availability_zone.AvailabilityZoneFilter,
               aggregate_extra_specs.AggregateInstanceExtraSpecsFilter,
               image_properties.ImagePropertiesFilter,
               server_group.ServerGroupAffinityFilter,
               server_group.ServerGroupAntiAffinityFilter,
               host_hints.SameHostFilter, host_hints.DifferentHostFilter)
    return {cls.__name__: cls for cls in classes}
