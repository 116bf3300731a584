"""What the scheduler knows about each compute host, and how it stays fresh cheaply.

Every request first asks which providers changed since the last look (``updated_at``
at or after it, minus CLOCK_SKEW_MARGIN for writers on other machines) and reloads
just those whose generation moved: a handful of rows, not one per host. Every
``host_metadata_refresh_interval`` seconds all generations are compared instead, and
services and aggregates (up/down, disabled, availability zones, metadata) are read
again; the api's ``sync_host_metadata`` cast forces that at once. The claim in the
database stays the judge: a stale view can only make a claim fail and the next host
be tried.
"""
import datetime
import threading
import time

from common import context
from common import resource_classes as rc
from common.config import CONF
from common.db.api import compute_hosts, placement
from common.db.types import utcnow

# Writers stamp updated_at with their own clock: look this far back for clock skew.
CLOCK_SKEW_MARGIN = datetime.timedelta(seconds=5)


class HostState:
    """One compute host: its provider's capacity and usage, service state, aggregates.

    ``free_*`` are capacity minus usage per resource class (-1 without inventory), kept
    as plain attributes because the scheduler reads them for every host on every
    request.
    """

    __slots__ = ("host", "provider_id", "provider_uuid", "generation", "inventories",
                 "used", "traits", "free_vcpu", "free_ram_mb", "free_disk_gb",
                 "service_ok_until", "disabled", "availability_zone", "aggregate_metadata")

    def __init__(self, snapshot: placement.ProviderSnapshot) -> None:
        self.host = snapshot.name
        self.provider_id = snapshot.id
        self.provider_uuid = snapshot.uuid
        self.service_ok_until = 0.0
        self.disabled = True
        self.availability_zone = CONF.compute.default_availability_zone
        self.aggregate_metadata: dict[str, set[str]] = {}
        self.update_resources(snapshot)

    def update_resources(self, snapshot: placement.ProviderSnapshot) -> None:
        self.generation = snapshot.generation
        self.inventories = snapshot.inventories
        self.used = dict(snapshot.used)
        self.traits = snapshot.traits
        self._compute_free()

    def _free(self, resource_class: str) -> int:
        inventory = self.inventories.get(resource_class)
        if inventory is None:
            return -1
        return placement.capacity(inventory) - self.used.get(resource_class, 0)

    def _compute_free(self) -> None:
        self.free_vcpu = self._free(rc.VCPU)
        self.free_ram_mb = self._free(rc.MEMORY_MB)
        self.free_disk_gb = self._free(rc.DISK_GB)

    def fits(self, resources: dict[str, int]) -> bool:
        """The exact check (units, step sizes) placement will make."""
        for resource_class, amount in resources.items():
            inventory = self.inventories.get(resource_class)
            used = self.used.get(resource_class, 0)
            if inventory is None or not placement.fits(inventory, used, amount):
                return False
        return True

    def consume(self, resources: dict[str, int], new_generation: int) -> None:
        """Account for a claim this scheduler just made (generation g -> new_generation).

        If someone else also changed the provider, our generation no longer precedes the
        new one: mark it stale so the next refresh reloads it.
        """
        for resource_class, amount in resources.items():
            self.used[resource_class] = self.used.get(resource_class, 0) + amount
        self._compute_free()
        self.generation = new_generation if self.generation == new_generation - 1 else -1

    def is_up(self, now: float) -> bool:
        return not self.disabled and self.service_ok_until >= now

    def __repr__(self) -> str:
        return (f"HostState({self.host}, vcpu={self.free_vcpu}, ram={self.free_ram_mb}, "
                f"disk={self.free_disk_gb})")


class HostStateCache:
    """The host states of one scheduler process, refreshed before every selection."""

    def __init__(self) -> None:
        self._hosts: dict[int, HostState] = {}
        self._lock = threading.Lock()
        self._full_at = float("-inf")  # monotonic time of the last full refresh
        self._since: datetime.datetime | None = None  # DB-side time of the last look
        self._services: dict[str, compute_hosts.ComputeService] = {}
        self._aggregates: dict[str, compute_hosts.HostAggregates] = {}

    def invalidate_metadata(self) -> None:
        """Services or aggregates changed: reload everything on the next refresh."""
        self._full_at = float("-inf")

    def refresh(self, ctxt: context.RequestContext) -> list[HostState]:
        """Bring every host up to date; return them all."""
        with self._lock:
            # A heartbeat older than service_down_time means down: never cache the
            # services longer than half of that, or live hosts would look dead.
            max_age = min(CONF.scheduler.host_metadata_refresh_interval,
                          CONF.service_down_time / 2)
            since = self._since
            full = time.monotonic() - self._full_at > max_age or since is None
            looked_at = utcnow()
            new_hosts = self._refresh_resources(ctxt, None if full else since)
            if full or any(state.host not in self._services for state in new_hosts):
                self._services = compute_hosts.compute_services(ctxt)
                self._aggregates = compute_hosts.aggregates_by_host(ctxt)
                self._full_at = time.monotonic()
                self._apply_metadata(self._hosts.values())
            else:
                self._apply_metadata(new_hosts)
            self._since = looked_at
            return list(self._hosts.values())

    def _refresh_resources(self, ctxt: context.RequestContext,
                           since: datetime.datetime | None) -> list[HostState]:
        """Every provider when ``since`` is None, else those changed since then."""
        if since is None:
            generations = placement.provider_generations(ctxt)
            for provider_id in set(self._hosts) - set(generations):
                del self._hosts[provider_id]
        else:
            generations = placement.provider_generations(ctxt, since=since - CLOCK_SKEW_MARGIN)
        stale = [provider_id for provider_id, generation in generations.items()
                 if provider_id not in self._hosts
                 or self._hosts[provider_id].generation != generation]
        stale += [provider_id for provider_id, state in self._hosts.items()
                  if state.generation == -1 and provider_id not in generations]
        # A provider deleted since the last full refresh stays until then, or until a
        # claim on it fails (generation -1 above) and its reload finds nothing.
        return self._reload(ctxt, stale, since is None and len(stale) > len(generations) // 2)

    def _reload(self, ctxt: context.RequestContext, stale: list[int],
                everything: bool) -> list[HostState]:
        if not stale:
            return []
        # Reloading most of them: one full read beats thousands of ids in IN (...).
        snapshots = {snapshot.id: snapshot for snapshot in
                     placement.load_providers(ctxt, None if everything else stale)}
        new_hosts = []
        for provider_id in stale:
            snapshot = snapshots.get(provider_id)
            state = self._hosts.get(provider_id)
            if snapshot is None:
                self._hosts.pop(provider_id, None)  # deleted
            elif state is None:
                state = self._hosts[provider_id] = HostState(snapshot)
                new_hosts.append(state)
            else:
                state.update_resources(snapshot)
        return new_hosts

    def _apply_metadata(self, states) -> None:
        down_time = CONF.service_down_time
        default_az = CONF.compute.default_availability_zone
        for state in states:
            service = self._services.get(state.host)
            if service is None or service.last_seen_at is None or service.forced_down:
                state.service_ok_until = 0.0
                state.disabled = service is None or service.disabled
            else:
                seen = service.last_seen_at.replace(tzinfo=datetime.UTC).timestamp()
                state.service_ok_until = seen + down_time
                state.disabled = service.disabled
            aggregates = self._aggregates.get(state.host)
            state.availability_zone = aggregates.availability_zone if aggregates else default_az
            state.aggregate_metadata = aggregates.metadata if aggregates else {}
