"""ComputeFilter: only hosts whose compute service is enabled and up."""
import time

from services.scheduler.filters import BaseFilter
from services.scheduler.host_state import HostState
from services.scheduler.request import SchedulingRequest


class ComputeFilter(BaseFilter):
    def __init__(self) -> None:
        self.now = time.time()

    def prepare(self, request: SchedulingRequest) -> None:
        self.now = time.time()

    def host_passes(self, host: HostState, request: SchedulingRequest) -> bool:
        return host.is_up(self.now)

    def filter_all(self, hosts: list[HostState],
                   request: SchedulingRequest) -> list[HostState]:
        now = self.now  # is_up inlined: this runs for every host
        return [host for host in hosts if not host.disabled and host.service_ok_until >= now]
