"""DRS: rebalancing the load of compute hosts by live migration.

A host's load is the larger of its used vCPU and RAM shares (placement's allocations
over capacity, allocation ratios included). Within each availability zone, while the
spread (most loaded minus least loaded) is over ``[drs] threshold`` and fewer than
``[drs] max_moves`` moves are planned, the planner moves one server off the most loaded
host that can give one to the host where the move lowers the spread most. Only servers
that can move live take part: ACTIVE with no task, not ``drs=false`` in their metadata,
and whose server group's policy the move keeps (an affinity member never moves alone;
an anti-affinity member only to a host with no other member). Only hosts whose compute
service is up, enabled and not fenced take part, as source or destination.

``plan`` only reads; ``apply`` carries a plan out one move at a time (drain's waits);
``start`` casts a plan's moves without waiting (the conductors' periodic pass).
"""
import collections
import dataclasses
import functools
from collections.abc import Iterable, Iterator

from common import context, exceptions, resource_classes
from common.compute_states import VMState
from common.config import CONF
from common.db.api import (
    compute_hosts,
    compute_instances,
    compute_migrations,
    compute_server_groups,
    host_fences,
    placement,
)
from common.db.api import services as services_db
from common.db.api.compute_instances import InstanceRecord
from common.db.types import utcnow
from services.compute import api as compute_api
from services.compute import drain

SHARED = (resource_classes.VCPU, resource_classes.MEMORY_MB)
_FALSE = ("false", "0", "no", "off")
_EPSILON = 1e-9


@dataclasses.dataclass
class HostLoad:
    host: str
    zone: str
    capacity: dict[str, int]
    used: dict[str, int]

    @property
    def share(self) -> float:
        return max((self.used.get(rc, 0) / self.capacity[rc] for rc in SHARED
                    if self.capacity.get(rc)), default=0.0)

    def fits(self, resources: dict[str, int]) -> bool:
        return all(self.used.get(rc, 0) + amount <= self.capacity.get(rc, 0)
                   for rc, amount in resources.items())

    def add(self, resources: dict[str, int], sign: int) -> None:
        for rc, amount in resources.items():
            self.used[rc] = self.used.get(rc, 0) + sign * amount


@dataclasses.dataclass(frozen=True)
class Candidate:
    """A server that may move, with what it holds and its group."""

    uuid: str
    name: str
    host: str
    resources: dict[str, int]
    group: str | None = None
    policy: str | None = None
    max_per_host: int = 1


@dataclasses.dataclass(frozen=True)
class Move:
    uuid: str
    name: str
    source: str
    dest: str


@dataclasses.dataclass
class Plan:
    threshold: float
    before: dict[str, float]  # host: load share
    after: dict[str, float]
    zones: dict[str, str]  # host: availability zone
    moves: list[Move]

    def spread(self, shares: dict[str, float]) -> dict[str, float]:
        """{zone: spread} of ``shares`` (before or after)."""
        by_zone: dict[str, list[float]] = collections.defaultdict(list)
        for host, share in shares.items():
            by_zone[self.zones[host]].append(share)
        return {zone: max(values) - min(values) for zone, values in by_zone.items()}


def plan(ctxt: context.RequestContext, threshold: float | None = None,
         max_moves: int | None = None) -> Plan:
    """The moves that bring every zone's spread under the threshold (``[drs]`` by
    default), as far as max_moves and the servers allow."""
    threshold = CONF.drs.threshold if threshold is None else threshold
    max_moves = CONF.drs.max_moves if max_moves is None else max_moves
    loads = _host_loads(ctxt)
    before = {host: load.share for host, load in loads.items()}
    candidates = _candidates(ctxt, loads)
    moves: list[Move] = []
    for zone in sorted({load.zone for load in loads.values()}):
        in_zone = {host: load for host, load in loads.items() if load.zone == zone}
        moves += plan_moves(in_zone, [c for c in candidates if c.host in in_zone],
                            threshold, max_moves - len(moves))
    return Plan(threshold, before, {host: load.share for host, load in loads.items()},
                {host: load.zone for host, load in loads.items()}, moves)


def plan_moves(loads: dict[str, HostLoad], candidates: list[Candidate],
               threshold: float, max_moves: int) -> list[Move]:
    """The greedy plan over one zone's ``loads`` (changed as moves are planned)."""
    members: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for candidate in candidates:
        if candidate.group:
            members[candidate.group][candidate.host] += 1
    left = {c.uuid: c for c in candidates}
    moves: list[Move] = []
    while len(moves) < max_moves and _spread(loads) > threshold + _EPSILON:
        best = _best_move(loads, left.values(), members)
        if best is None:
            break
        candidate, dest = best
        loads[candidate.host].add(candidate.resources, -1)
        loads[dest].add(candidate.resources, +1)
        if candidate.group:
            members[candidate.group][candidate.host] -= 1
            members[candidate.group][dest] += 1
        del left[candidate.uuid]
        moves.append(Move(candidate.uuid, candidate.name, candidate.host, dest))
    return moves


def _spread(loads: dict[str, HostLoad]) -> float:
    shares = [load.share for load in loads.values()]
    return max(shares) - min(shares) if shares else 0.0


def _best_move(loads: dict[str, HostLoad], candidates: Iterable[Candidate],
               members: dict[str, collections.Counter]) -> tuple[Candidate, str] | None:
    """The move off the most loaded host that can give one that lowers the spread
    most; None when no move lowers it."""
    current = _spread(loads)
    by_host: dict[str, list[Candidate]] = collections.defaultdict(list)
    for candidate in candidates:
        by_host[candidate.host].append(candidate)
    for source in sorted(loads, key=lambda h: -loads[h].share):
        best: tuple[float, Candidate, str] | None = None
        for candidate in by_host[source]:
            for dest, load in loads.items():
                if dest == source or not load.fits(candidate.resources) \
                        or not _group_allows(candidate, dest, members):
                    continue
                after = _spread_after(loads, candidate, dest)
                if after < current - _EPSILON and (best is None or after < best[0]):
                    best = (after, candidate, dest)
        if best is not None:
            return best[1], best[2]
    return None


def _spread_after(loads: dict[str, HostLoad], candidate: Candidate, dest: str) -> float:
    loads[candidate.host].add(candidate.resources, -1)
    loads[dest].add(candidate.resources, +1)
    try:
        return _spread(loads)
    finally:
        loads[dest].add(candidate.resources, -1)
        loads[candidate.host].add(candidate.resources, +1)


def _group_allows(candidate: Candidate, dest: str,
                  members: dict[str, collections.Counter]) -> bool:
    if not candidate.group:
        return True
    hosts = members[candidate.group]
    if candidate.policy in ("affinity", "soft-affinity"):
        return sum(hosts.values()) <= 1  # a lone member keeps its group's affinity
    if candidate.policy == "anti-affinity":
        return hosts[dest] < candidate.max_per_host
    if candidate.policy == "soft-anti-affinity":
        return hosts[dest] + 1 <= hosts[candidate.host]  # no more crowded than now
    return True


def _host_loads(ctxt: context.RequestContext) -> dict[str, HostLoad]:
    services = compute_hosts.compute_services(ctxt)
    fences = host_fences.list_fences(ctxt)
    zones = compute_hosts.aggregates_by_host(ctxt)
    now = utcnow()
    loads = {}
    for provider in placement.load_providers(ctxt):
        service = services.get(provider.name)
        if service is None or provider.name in fences or service.disabled \
                or not services_db.is_up(service, now):
            continue
        capacity = {rc: placement.capacity(inventory)
                    for rc, inventory in provider.inventories.items()}
        zone = zones[provider.name].availability_zone if provider.name in zones \
            else CONF.compute.default_availability_zone
        loads[provider.name] = HostLoad(provider.name, zone, capacity, dict(provider.used))
    return loads


def _candidates(ctxt: context.RequestContext,
                loads: dict[str, HostLoad]) -> list[Candidate]:
    groups = {member: group for group in compute_server_groups.list_groups(
        ctxt, all_projects=True) for member in group.members}
    candidates = []
    for host in loads:
        for instance in drain.servers_on(ctxt, host):
            if not movable(instance):
                continue
            resources = placement.resources_for_flavor(instance.flavor)
            group = groups.get(instance.uuid)
            candidates.append(Candidate(
                instance.uuid, instance.display_name or "", host, resources,
                group.uuid if group else None, group.policy if group else None,
                int((group.rules if group else {}).get("max_server_per_host", 1))))
    return candidates


def movable(instance: InstanceRecord) -> bool:
    """Whether DRS may move the server (its state and its ``drs`` metadata)."""
    if str((instance.metadata or {}).get("drs", "")).lower() in _FALSE:
        return False
    return instance.vm_state == VMState.ACTIVE and instance.task_state is None


def moves_in_progress(ctxt: context.RequestContext) -> int:
    """Live migrations under way anywhere: a pass waits for them to end."""
    return compute_migrations.count_in_progress(ctxt, "live-migration")


def start(ctxt: context.RequestContext, moves: list[Move]) -> list[tuple[Move, str]]:
    """Cast the moves' live migrations; (move, why it did not start) for each refused."""
    refused = []
    for move in moves:
        try:
            instance = compute_instances.get(ctxt, move.uuid)
            _still_planned(instance, move)
            compute_api.live_migrate(ctxt, instance, move.dest, "auto")
        except exceptions.StratoError as error:
            refused.append((move, error.msg))
    return refused


def apply(ctxt: context.RequestContext, moves: list[Move],
          timeout: float) -> Iterator[drain.Outcome]:
    """Carry the moves out one at a time; one Outcome each, as each move ends."""
    for move in moves:
        yield drain.timed(ctxt, move.uuid, functools.partial(_apply_one, ctxt, move, timeout))


def _apply_one(ctxt: context.RequestContext, move: Move, timeout: float) -> tuple[str, str]:
    instance = compute_instances.get(ctxt, move.uuid)
    try:
        _still_planned(instance, move)
    except exceptions.StratoError as error:
        return drain.NOT_MOVED, error.msg
    reason = drain.attempt(ctxt, instance, timeout, lambda current: compute_api.live_migrate(
        ctxt, current, move.dest, "auto"))
    return (drain.NOT_MOVED, reason) if reason else (drain.LIVE_MIGRATED, "")


def _still_planned(instance: InstanceRecord, move: Move) -> None:
    if instance.host != move.source or not movable(instance):
        raise exceptions.MigrationError(
            reason=f"server {move.uuid} changed since the plan (now on {instance.host}, "
                   f"{instance.task_state or instance.vm_state})")
