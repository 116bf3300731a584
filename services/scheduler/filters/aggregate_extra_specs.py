"""AggregateInstanceExtraSpecsFilter: flavor extra specs against aggregate metadata.

Keys scoped ``aggregate_instance_extra_specs:`` and unscoped keys must be matched by the
metadata of one of the host's aggregates (extra_specs_ops syntax); other scopes
(``hw:``, ``trait:``, ...) are someone else's business.
"""
from services.scheduler.filters import BaseFilter, extra_specs_ops
from services.scheduler.host_state import HostState
from services.scheduler.request import SchedulingRequest

SCOPE = "aggregate_instance_extra_specs"


def _wanted(extra_specs: dict[str, str]) -> dict[str, str]:
    wanted = {}
    for key, value in extra_specs.items():
        scope = key.split(":", 1)
        if len(scope) == 1:
            wanted[key] = value
        elif scope[0] == SCOPE:
            wanted[scope[1]] = value
    return wanted


class AggregateInstanceExtraSpecsFilter(BaseFilter):
    def __init__(self) -> None:
        self.wanted: dict[str, str] = {}

    def applies(self, request: SchedulingRequest) -> bool:
        self.wanted = _wanted(request.extra_specs)
        return bool(self.wanted)

    def host_passes(self, host: HostState, request: SchedulingRequest) -> bool:
        for key, requirement in self.wanted.items():
            values = host.aggregate_metadata.get(key)
            if not values or not any(extra_specs_ops.match(value, requirement)
                                     for value in values):
                return False
        return True
