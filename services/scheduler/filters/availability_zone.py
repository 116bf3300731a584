"""AvailabilityZoneFilter: the host's AZ (from its aggregates) is the one asked for."""
from services.scheduler.filters import BaseFilter
from services.scheduler.host_state import HostState
from services.scheduler.request import SchedulingRequest


class AvailabilityZoneFilter(BaseFilter):
    def applies(self, request: SchedulingRequest) -> bool:
        return bool(request.availability_zone)

    def host_passes(self, host: HostState, request: SchedulingRequest) -> bool:
        return host.availability_zone == request.availability_zone
