"""Placement: resource providers, their inventories and traits, and atomic claims.

A claim is one transaction: read the provider's generation, inventory and usage, check
capacity, write the allocations, then ``UPDATE resource_providers SET generation = g+1
WHERE id = :id AND generation = g``. If another writer changed the provider in between
the update matches no row: the transaction rolls back and the claim starts over. So two
schedulers (or threads) claiming on one provider never over-commit it, on SQLite,
PostgreSQL and MariaDB alike, without table locks.

capacity = (total - reserved) * allocation_ratio, as in Placement.
"""
import dataclasses
import datetime
import math
import random
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar, cast

import sqlalchemy as sa
from oslo_log import log as logging
from sqlalchemy import exc as sa_exc
from sqlalchemy import orm

from common import context, exceptions, resource_classes
from common.config import CONF
from common.db import models, session
from common.db.api.records import from_row
from common.db.types import utcnow

LOG = logging.getLogger(__name__)
T = TypeVar("T")
Context = context.RequestContext

VCPU = resource_classes.VCPU
MEMORY_MB = resource_classes.MEMORY_MB
DISK_GB = resource_classes.DISK_GB

_INVENTORY_FIELDS = ("total", "reserved", "min_unit", "max_unit", "step_size",
                     "allocation_ratio")
_IN_CHUNK = 500  # ids per IN (...) clause

_rp = cast(sa.Table, models.ResourceProvider.__table__)
_inv = cast(sa.Table, models.Inventory.__table__)
_alloc = cast(sa.Table, models.Allocation.__table__)
_traits = cast(sa.Table, models.ResourceProviderTrait.__table__)


class _GenerationConflict(Exception):
    """Another writer changed the provider since we read it: start over."""


# group_check(session, host) -> allowed: runs first inside a claim's transaction.
GroupCheck = Callable[[orm.Session, str], bool]


def capacity(inventory: Mapping[str, float]) -> int:
    """What can be allocated in total: (total - reserved) * allocation_ratio."""
    return int((inventory["total"] - inventory["reserved"]) * inventory["allocation_ratio"])


def resources_for_flavor(flavor: Mapping) -> dict[str, int]:
    """The resources an instance of ``flavor`` consumes (swap counts as disk, in GB)."""
    disk = (int(flavor.get("root_gb") or 0) + int(flavor.get("ephemeral_gb") or 0)
            + math.ceil(int(flavor.get("swap") or 0) / 1024))
    resources = {VCPU: int(flavor["vcpus"]), MEMORY_MB: int(flavor["memory_mb"]),
                 DISK_GB: disk}
    return {rc: amount for rc, amount in resources.items() if amount > 0}


def fits(inventory: Mapping[str, float], used: int, amount: int) -> bool:
    """Whether ``amount`` more fits in ``inventory`` given ``used``, unit rules included."""
    if amount < inventory["min_unit"] or amount > inventory["max_unit"]:
        return False
    if amount % inventory["step_size"]:
        return False
    return used + amount <= capacity(inventory)


def _retryable(error: sa_exc.DBAPIError) -> bool:
    # Deadlocks (MariaDB), serialization failures (PostgreSQL) and a busy SQLite all
    # mean "someone else wrote at the same time": the same as a generation conflict.
    text = str(error.orig).lower()
    return any(word in text for word in ("deadlock", "could not serialize",
                                         "database is locked", "lock wait timeout"))


def _with_retries(func: Callable[[], T], what: str) -> T:
    attempts = CONF.scheduler.claim_retries
    for attempt in range(1, attempts + 1):
        if attempt > 1:
            # Jittered backoff: writers that collided must not collide again in step.
            time.sleep(random.uniform(0, min(0.2, 0.002 * 2 ** attempt)))
        try:
            return func()
        except _GenerationConflict:
            LOG.debug("%s: generation conflict, attempt %d of %d", what, attempt, attempts)
        except sa_exc.IntegrityError:
            # Two writers inserted the same (provider, consumer, class): start over.
            LOG.debug("%s: concurrent insert, attempt %d of %d", what, attempt, attempts)
        except sa_exc.DBAPIError as error:
            if not _retryable(error):
                raise
            LOG.debug("%s: %s, attempt %d of %d", what, error.orig, attempt, attempts)
    raise exceptions.Conflict(f"{what}: still conflicting after {attempts} attempts")


def _bump(s: orm.Session, provider_id: int, generation: int) -> int:
    updated = session.rowcount(s.execute(_rp.update().where(_rp.c.id == provider_id,
                                           _rp.c.generation == generation)
                        .values(generation=generation + 1, updated_at=utcnow())))
    if updated != 1:
        raise _GenerationConflict()
    return generation + 1


# --- providers and inventories ---------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class ProviderRecord:
    id: int
    uuid: str
    name: str  # the host
    generation: int


def get_provider(ctxt: Context, name: str) -> ProviderRecord:
    with session.reader() as s:
        provider = s.scalars(sa.select(models.ResourceProvider).filter_by(
            name=name)).one_or_none()
        if provider is None:
            raise exceptions.ResourceProviderNotFound(name=name)
        return from_row(ProviderRecord, provider)


def list_providers(ctxt: Context) -> list[ProviderRecord]:
    with session.reader() as s:
        return [from_row(ProviderRecord, provider) for provider in s.scalars(
            sa.select(models.ResourceProvider).order_by(models.ResourceProvider.id))]


def _ensure_provider(name: str) -> None:
    try:
        with session.transaction() as s:
            if s.execute(sa.select(_rp.c.id).where(_rp.c.name == name)).first() is None:
                # updated_at from the start: schedulers find changes by it.
                s.add(models.ResourceProvider(name=name, updated_at=utcnow()))
    except sa_exc.IntegrityError:
        pass  # created by a concurrent report of the same host


def set_inventory(ctxt: Context, name: str, inventories: Mapping[str, Mapping[str, float | None]],
                  traits: Iterable[str] | None = None) -> int:
    """Create or update the provider ``name`` (a compute host); return its generation.

    An inventory's ``allocation_ratio`` None means "keep the provider's current ratio",
    and ``initial_allocation_ratio`` for a class it does not have yet. Resource classes
    left out are removed, unless something is allocated from them. Lowering an
    inventory below what is allocated is allowed (the host just takes nothing more).
    """
    _ensure_provider(name)

    def attempt() -> int:
        with session.transaction() as s:
            provider = s.execute(sa.select(_rp.c.id, _rp.c.generation).where(
                _rp.c.name == name)).one()
            current = {row.resource_class: row._asdict() for row in s.execute(
                sa.select(_inv).where(_inv.c.resource_provider_id == provider.id))}
            changed = _write_inventories(s, provider.id, current, inventories)
            if traits is not None:
                changed |= _write_traits(s, provider.id, set(traits))
            if not changed:
                return provider.generation
            return _bump(s, provider.id, provider.generation)

    return _with_retries(attempt, f"inventory of {name}")


def _write_inventories(s: orm.Session, provider_id: int, current: dict[str, dict],
                       wanted: Mapping[str, Mapping[str, float | None]]) -> bool:
    changed = False
    for rc, fields in wanted.items():
        values = {key: fields[key] for key in _INVENTORY_FIELDS if key in fields}
        if values.get("allocation_ratio") is None:
            old = current.get(rc)
            values["allocation_ratio"] = (old["allocation_ratio"] if old else
                                          fields.get("initial_allocation_ratio") or 1.0)
        if rc not in current:
            s.execute(_inv.insert().values(resource_provider_id=provider_id,
                                           resource_class=rc, **_inventory_defaults(values)))
            changed = True
        elif any(current[rc][key] != value for key, value in values.items()):
            s.execute(_inv.update().where(_inv.c.id == current[rc]["id"]).values(**values))
            changed = True
    for rc in set(current) - set(wanted):
        in_use = s.scalar(sa.select(sa.func.count()).where(
            _alloc.c.resource_provider_id == provider_id, _alloc.c.resource_class == rc))
        if in_use:
            LOG.warning("keeping %s inventory of provider %s: it has allocations",
                        rc, provider_id)
            continue
        s.execute(_inv.delete().where(_inv.c.id == current[rc]["id"]))
        changed = True
    return changed


def _inventory_defaults(values: dict) -> dict:
    return {"reserved": 0, "min_unit": 1, "step_size": 1,
            "max_unit": values["total"], **values}


def _write_traits(s: orm.Session, provider_id: int, wanted: set[str]) -> bool:
    current = set(s.scalars(sa.select(_traits.c.trait).where(
        _traits.c.resource_provider_id == provider_id)))
    if current == wanted:
        return False
    s.execute(_traits.delete().where(_traits.c.resource_provider_id == provider_id))
    if wanted:
        s.execute(_traits.insert(), [{"resource_provider_id": provider_id, "trait": trait}
                                     for trait in sorted(wanted)])
    return True


def delete_provider(ctxt: Context, name: str) -> None:
    """Remove a provider (a deleted compute service); refused while it has allocations."""
    with session.transaction() as s:
        provider_id = s.scalar(sa.select(_rp.c.id).where(_rp.c.name == name))
        if provider_id is None:
            return
        if s.scalar(sa.select(sa.func.count()).where(
                _alloc.c.resource_provider_id == provider_id)):
            raise exceptions.ResourceProviderInUse(name=name)
        s.execute(_rp.delete().where(_rp.c.id == provider_id))


def get_inventories(ctxt: Context, name: str) -> dict[str, dict]:
    """{resource_class: {total, reserved, ..., allocation_ratio}} of provider ``name``."""
    with session.reader() as s:
        rows = s.execute(sa.select(_inv).join(_rp, _rp.c.id == _inv.c.resource_provider_id)
                         .where(_rp.c.name == name))
        return {row.resource_class: {key: getattr(row, key) for key in _INVENTORY_FIELDS}
                for row in rows}


def get_traits(ctxt: Context, name: str) -> set[str]:
    with session.reader() as s:
        return set(s.scalars(sa.select(_traits.c.trait).join(
            _rp, _rp.c.id == _traits.c.resource_provider_id).where(_rp.c.name == name)))


# --- claims ----------------------------------------------------------------------------

def claim(ctxt: Context, consumer_id: str, provider: str, resources: Mapping[str, int],
          group_check: GroupCheck | None = None) -> int | None:
    """Allocate ``resources`` to ``consumer_id`` on host ``provider``, atomically.

    Replaces what the consumer already held on that provider (so a retried claim is
    harmless). ``group_check(session, provider)`` runs first in the same transaction
    (server group policies); it may lock rows and veto the host. Returns the provider's
    new generation, or None when the resources do not fit or the check vetoed.
    """
    def attempt() -> int | None:
        with session.transaction() as s:
            if group_check is not None and not group_check(s, provider):
                return None
            row = s.execute(sa.select(_rp.c.id, _rp.c.generation).where(
                _rp.c.name == provider)).first()
            if row is None:
                return None
            if not _fits_now(s, row.id, consumer_id, resources):
                return None
            s.execute(_alloc.delete().where(_alloc.c.resource_provider_id == row.id,
                                            _alloc.c.consumer_id == consumer_id))
            s.execute(_alloc.insert(), [
                {"resource_provider_id": row.id, "consumer_id": consumer_id,
                 "resource_class": rc, "used": amount}
                for rc, amount in sorted(resources.items()) if amount > 0])
            return _bump(s, row.id, row.generation)

    return _with_retries(attempt, f"claim of {consumer_id} on {provider}")


def _fits_now(s: orm.Session, provider_id: int, consumer_id: str,
              resources: Mapping[str, int]) -> bool:
    inventories = {row.resource_class: row._asdict() for row in s.execute(
        sa.select(_inv).where(_inv.c.resource_provider_id == provider_id))}
    used = dict(s.execute(
        sa.select(_alloc.c.resource_class, sa.func.sum(_alloc.c.used))
        .where(_alloc.c.resource_provider_id == provider_id,
               _alloc.c.consumer_id != consumer_id)
        .group_by(_alloc.c.resource_class)).all())
    for rc, amount in resources.items():
        if amount <= 0:
            continue
        inventory = inventories.get(rc)
        if inventory is None or not fits(inventory, int(used.get(rc) or 0), amount):
            return False
    return True


def release(ctxt: Context, consumer_id: str, provider: str | None = None) -> bool:
    """Drop the consumer's allocations (on ``provider`` only, if given); True if any."""
    def attempt() -> bool:
        with session.transaction() as s:
            query = sa.select(_alloc.c.resource_provider_id).where(
                _alloc.c.consumer_id == consumer_id).distinct()
            if provider is not None:
                query = query.join(_rp, _rp.c.id == _alloc.c.resource_provider_id).where(
                    _rp.c.name == provider)
            provider_ids = sorted(s.scalars(query))
            if not provider_ids:
                return False
            s.execute(_alloc.delete().where(_alloc.c.consumer_id == consumer_id,
                                            _alloc.c.resource_provider_id.in_(provider_ids)))
            # A release never over-commits; it only has to tell readers that changed.
            s.execute(_rp.update().where(_rp.c.id.in_(provider_ids)).values(
                generation=_rp.c.generation + 1, updated_at=utcnow()))
            return True

    return _with_retries(attempt, f"release of {consumer_id}")


def move_allocations(ctxt: Context, from_consumer: str, to_consumer: str) -> None:
    """Give ``from_consumer``'s allocations to ``to_consumer`` (resize bookkeeping).

    What ``to_consumer`` held before is dropped: it is replaced, not added to.
    """
    def attempt() -> None:
        with session.transaction() as s:
            provider_ids = sorted(set(s.scalars(
                sa.select(_alloc.c.resource_provider_id).where(
                    _alloc.c.consumer_id.in_([from_consumer, to_consumer])))))
            if not provider_ids:
                return
            s.execute(_alloc.delete().where(_alloc.c.consumer_id == to_consumer))
            s.execute(_alloc.update().where(_alloc.c.consumer_id == from_consumer).values(
                consumer_id=to_consumer))
            s.execute(_rp.update().where(_rp.c.id.in_(provider_ids)).values(
                generation=_rp.c.generation + 1, updated_at=utcnow()))

    _with_retries(attempt, f"move of allocations {from_consumer} -> {to_consumer}")


def allocations_of(ctxt: Context, consumer_id: str) -> dict[str, dict[str, int]]:
    """{host: {resource_class: used}} of one consumer."""
    with session.reader() as s:
        rows = s.execute(sa.select(_rp.c.name, _alloc.c.resource_class, _alloc.c.used)
                         .join(_rp, _rp.c.id == _alloc.c.resource_provider_id)
                         .where(_alloc.c.consumer_id == consumer_id))
        result: dict[str, dict[str, int]] = {}
        for name, rc, used in rows:
            result.setdefault(name, {})[rc] = used
        return result


def usages(ctxt: Context, names: Iterable[str] | None = None) -> dict[str, dict[str, int]]:
    """{host: {resource_class: total used}} (every provider when ``names`` is None)."""
    query = (sa.select(_rp.c.name, _alloc.c.resource_class, sa.func.sum(_alloc.c.used))
             .join(_rp, _rp.c.id == _alloc.c.resource_provider_id)
             .group_by(_rp.c.name, _alloc.c.resource_class))
    if names is not None:
        query = query.where(_rp.c.name.in_(list(names)))
    with session.reader() as s:
        result: dict[str, dict[str, int]] = {}
        for name, rc, used in s.execute(query):
            result.setdefault(name, {})[rc] = int(used)
        return result


# --- bulk reads for the scheduler -------------------------------------------------------

@dataclasses.dataclass
class ProviderSnapshot:
    """A provider as the scheduler caches it."""

    id: int
    name: str
    uuid: str
    generation: int
    inventories: dict[str, dict] = dataclasses.field(default_factory=dict)
    used: dict[str, int] = dataclasses.field(default_factory=dict)
    traits: frozenset[str] = frozenset()


def provider_generations(ctxt: Context, since: datetime.datetime | None = None) -> dict[int, int]:
    """{provider id: generation} of every provider, or of those changed ``since``."""
    query = sa.select(_rp.c.id, _rp.c.generation)
    if since is not None:
        query = query.where(_rp.c.updated_at >= since)
    with session.get_engine().connect() as connection:
        return dict(connection.execute(query).all())


def load_providers(ctxt: Context, ids: Iterable[int] | None = None) -> list[ProviderSnapshot]:
    """Snapshots of the providers ``ids`` (all when None) in four queries per chunk.

    Generations are read before the rest: if a writer commits in between, the snapshot
    is newer than its generation says and is simply loaded again next time.
    """
    if ids is None:
        return _load_chunk(None)
    ids = sorted(ids)
    snapshots: list[ProviderSnapshot] = []
    for start in range(0, len(ids), _IN_CHUNK):
        snapshots.extend(_load_chunk(ids[start:start + _IN_CHUNK]))
    return snapshots


def _load_chunk(ids: list[int] | None) -> list[ProviderSnapshot]:
    def only(column: sa.Column, query: sa.Select) -> sa.Select:
        return query if ids is None else query.where(column.in_(ids))

    with session.get_engine().connect() as connection:
        providers = {row.id: ProviderSnapshot(row.id, row.name, row.uuid, row.generation)
                     for row in connection.execute(only(_rp.c.id, sa.select(
                         _rp.c.id, _rp.c.name, _rp.c.uuid, _rp.c.generation)))}
        for row in connection.execute(only(_inv.c.resource_provider_id, sa.select(_inv))):
            if row.resource_provider_id in providers:
                providers[row.resource_provider_id].inventories[row.resource_class] = {
                    key: getattr(row, key) for key in _INVENTORY_FIELDS}
        for provider_id, rc, used in connection.execute(only(
                _alloc.c.resource_provider_id,
                sa.select(_alloc.c.resource_provider_id, _alloc.c.resource_class,
                          sa.func.sum(_alloc.c.used))
                .group_by(_alloc.c.resource_provider_id, _alloc.c.resource_class))):
            if provider_id in providers:
                providers[provider_id].used[rc] = int(used)
        traits: dict[int, set[str]] = {}
        for provider_id, trait in connection.execute(only(
                _traits.c.resource_provider_id,
                sa.select(_traits.c.resource_provider_id, _traits.c.trait))):
            traits.setdefault(provider_id, set()).add(trait)
    for provider_id, names in traits.items():
        if provider_id in providers:
            providers[provider_id].traits = frozenset(names)
    return list(providers.values())
