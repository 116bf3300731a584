"""Choosing hosts: refresh host states, filter, weigh, claim; alternates for reschedules.

For each instance of a request the best-weighed host that passes every filter is
claimed in the database; if the claim fails (another scheduler got there first, or a
group policy vetoes it) the next host is tried. ``max_attempts - 1`` more passing hosts
come back unclaimed as alternates, for the conductor to try if the build fails. When
one instance of a request cannot be placed, the claims made for the others are
released and the whole request fails with NoValidHost, as in Nova.
"""
import heapq
import itertools
import random
from collections.abc import Iterator, Sequence

from oslo_log import log as logging

from common import context, exceptions
from common import resource_classes as rc
from common.config import CONF
from common.db.api import compute_server_groups
from services.scheduler import claims, filters, weighers
from services.scheduler.host_state import HostState, HostStateCache
from services.scheduler.request import SchedulingRequest

LOG = logging.getLogger(__name__)

Selection = dict  # {"host", "node", "provider_uuid", "resources"}


def _enabled(names: Sequence[str], registry: dict[str, type]) -> list[type]:
    unknown = [name for name in names if name not in registry]
    if unknown:
        raise exceptions.StratoError(f"unknown scheduler plugins: {', '.join(unknown)}")
    return [registry[name] for name in names]


class Selector:
    def __init__(self, cache: HostStateCache) -> None:
        self.cache = cache

    def select(self, ctxt: context.RequestContext, spec: dict, instance_uuids: Sequence[str],
               return_alternates: bool = True) -> list[list[Selection]]:
        """Per instance: [chosen (claimed), alternate, ...]. NoValidHost if any fails."""
        group = spec.get("instance_group")
        group_hosts = (compute_server_groups.member_hosts(ctxt, group["uuid"]) if group else {})
        request = SchedulingRequest.from_spec(spec, group_hosts)
        host_filters = [f for f in (cls() for cls in _enabled(
            CONF.scheduler.enabled_filters, filters.all_filters())) if f.applies(request)]
        host_weighers = [cls() for cls in _enabled(CONF.scheduler.enabled_weighers,
                                                   weighers.all_weighers())]
        hosts = self.cache.refresh(ctxt)
        selections: list[list[Selection]] = []
        try:
            for uuid in instance_uuids:
                selections.append(self._place(ctxt, uuid, request, hosts, host_filters,
                                              host_weighers, return_alternates))
        except exceptions.NoValidHost:
            for uuid, chosen in zip(instance_uuids, selections, strict=False):
                claims.release(ctxt, uuid, chosen[0]["host"])
            raise
        return selections

    def _place(self, ctxt: context.RequestContext, uuid: str, request: SchedulingRequest,
               hosts: list[HostState], host_filters: list, host_weighers: list,
               return_alternates: bool) -> list[Selection]:
        candidates = self._candidates(hosts, request, host_filters)
        if not candidates:
            raise exceptions.NoValidHost(reason="There are not enough hosts available.")
        weights = weighers.weigh(candidates, request, host_weighers)
        alternates_wanted = CONF.scheduler.max_attempts - 1 if return_alternates else 0
        ranked = _best_first(candidates, weights, alternates_wanted)
        for host in ranked:
            if not host.fits(request.resources):
                continue  # units or step sizes the quick filter does not check
            generation = claims.claim(ctxt, uuid, host.host, request.resources,
                                      request.group)
            if generation is None:
                LOG.debug("claim of %s on %s refused; trying the next host", uuid, host.host)
                host.generation = -1  # reload it next time
                continue
            host.consume(request.resources, generation)
            request.placed(host.host)
            alternates = itertools.islice(
                (other for other in ranked if other.fits(request.resources)),
                alternates_wanted)
            return [self._selection(chosen, request) for chosen in [host, *alternates]]
        raise exceptions.NoValidHost(reason="There are not enough hosts available.")

    @staticmethod
    def _candidates(hosts: list[HostState], request: SchedulingRequest,
                    host_filters: list) -> list[HostState]:
        vcpu, ram, disk = (request.resources.get(rc.VCPU, 0),
                           request.resources.get(rc.MEMORY_MB, 0),
                           request.resources.get(rc.DISK_GB, 0))
        ignore = request.ignore_hosts
        # The hot loop at 10,000 hosts: plain attribute compares, no calls.
        candidates = [host for host in hosts
                      if host.free_ram_mb >= ram and host.free_vcpu >= vcpu
                      and host.free_disk_gb >= disk and host.host not in ignore]
        if request.requested_host:
            candidates = [host for host in candidates if host.host == request.requested_host]
        if request.required_traits or request.forbidden_traits:
            required, forbidden = request.required_traits, request.forbidden_traits
            candidates = [host for host in candidates
                          if required <= host.traits and not forbidden & host.traits]
        if request.force_hosts:
            # Nova: forced hosts skip the filters (an admin knows better).
            return [host for host in candidates if host.host in request.force_hosts]
        for host_filter in host_filters:
            host_filter.prepare(request)
            candidates = host_filter.filter_all(candidates, request)
            if not candidates:
                LOG.info("filter %s returned no hosts", type(host_filter).__name__)
                break
        return candidates

    @staticmethod
    def _selection(host: HostState, request: SchedulingRequest) -> Selection:
        return {"host": host.host, "node": host.host, "provider_uuid": host.provider_uuid,
                "resources": dict(request.resources)}


def _best_first(candidates: list[HostState], weights: list[float],
                alternates_wanted: int) -> Iterator[HostState]:
    """Candidates by weight, best first, one of the ``host_subset_size`` best leading.

    Only a short head is ordered (heapq) up front: enough for the claim and the
    alternates in the common case. The rest is sorted only if the head runs out.
    """
    subset = CONF.scheduler.host_subset_size
    head_size = subset + alternates_wanted + 8
    order = range(len(candidates))
    if len(candidates) > head_size * 4:
        head = heapq.nlargest(head_size, order, key=weights.__getitem__)
    else:
        head = sorted(order, key=weights.__getitem__, reverse=True)
    if subset > 1:
        head.insert(0, head.pop(random.randrange(min(subset, len(head)))))
    yield from (candidates[index] for index in head)
    if len(head) < len(candidates):
        seen = set(head)
        rest = sorted((index for index in order if index not in seen),
                      key=weights.__getitem__, reverse=True)
        yield from (candidates[index] for index in rest)
