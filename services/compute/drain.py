"""Emptying a compute host for maintenance (``strato-manage host drain``).

Every server whose host it is moves away, one at a time, once an action under way on
it has ended: live when it runs (ACTIVE or
PAUSED: no downtime), cold when it is stopped or its live migration failed (a cold
move of a running server restarts it on the other host; it is confirmed at once).
What cannot move (its state allows no migration, or no host takes it) stays, with the
reason. The scheduler picks each destination, never the drained host.
"""
import dataclasses
import functools
import time
from collections.abc import Callable, Iterator

from common import context, exceptions
from common.compute_states import VMState
from common.db.api import compute_instances, compute_migrations
from common.db.api.compute_instances import InstanceRecord
from services.compute import api as compute_api

LIVE_MIGRATED, COLD_MIGRATED, NOT_MOVED = "live-migrated", "cold-migrated", "not moved"
LIVE_STATES = (VMState.ACTIVE, VMState.PAUSED)
COLD_STATES = (VMState.ACTIVE, VMState.STOPPED)
POLL = 1.0


@dataclasses.dataclass(frozen=True)
class Outcome:
    uuid: str
    name: str
    how: str  # LIVE_MIGRATED, COLD_MIGRATED or NOT_MOVED
    host: str | None  # where it is now
    reason: str  # why it did not move live (or at all)
    seconds: float

    @property
    def moved(self) -> bool:
        return self.how != NOT_MOVED


def servers_on(ctxt: context.RequestContext, host: str) -> list[InstanceRecord]:
    return [i for i in compute_instances.for_host(ctxt, host) if i.host == host]


def drain(ctxt: context.RequestContext, host: str, timeout: float) -> Iterator[Outcome]:
    """Move the servers of ``host`` away; one Outcome each, as each move ends."""
    for instance in servers_on(ctxt, host):
        yield timed(ctxt, instance.uuid, functools.partial(_move, ctxt, instance, timeout))


def timed(ctxt: context.RequestContext, uuid: str,
          move: Callable[[], tuple[str, str]]) -> Outcome:
    """Run ``move`` (it returns how the server moved and why not otherwise) and say
    where the server is now and how long it took."""
    started = time.monotonic()
    how, reason = move()
    now = compute_instances.get(ctxt, uuid)
    return Outcome(uuid, now.display_name or "", how, now.host, reason,
                   time.monotonic() - started)


def _move(ctxt: context.RequestContext, instance: InstanceRecord,
          timeout: float) -> tuple[str, str]:
    reason = ""
    try:  # an action under way (a stop, a reboot) ends first
        instance = _wait(ctxt, instance.uuid, timeout, lambda i: i.task_state is None)
    except exceptions.MigrationError as error:
        return NOT_MOVED, error.msg
    if instance.vm_state in LIVE_STATES and instance.task_state is None:
        reason = attempt(ctxt, instance, timeout, lambda current: compute_api.live_migrate(
            ctxt, current, None, "auto"))
        if not reason:
            return LIVE_MIGRATED, ""
    instance = compute_instances.get(ctxt, instance.uuid)
    if instance.vm_state not in COLD_STATES or instance.task_state is not None:
        state = instance.task_state or instance.vm_state
        return NOT_MOVED, reason or f"a server in state {state} cannot be migrated"
    cold = attempt(ctxt, instance, timeout, _cold_migrate(ctxt, timeout))
    if cold:
        return NOT_MOVED, "; ".join(filter(None, (reason, cold)))
    return COLD_MIGRATED, reason


def _cold_migrate(ctxt: context.RequestContext,
                  timeout: float) -> Callable[[InstanceRecord], None]:
    def run(instance: InstanceRecord) -> None:
        compute_api.migrate(ctxt, instance, None)
        resized = _wait(ctxt, instance.uuid, timeout, lambda i: i.vm_state == VMState.RESIZED
                        or (i.task_state is None and i.host == instance.host))
        if resized.vm_state == VMState.RESIZED:
            compute_api.confirm_resize(ctxt, resized)
    return run


def attempt(ctxt: context.RequestContext, instance: InstanceRecord, timeout: float,
             start: Callable[[InstanceRecord], None]) -> str:
    """Start a move and wait for it to settle: "" when the server left its host, else
    why not (the API's refusal, the migration's status and the server's last fault)."""
    source = instance.host
    try:
        start(instance)
        settled = _wait(ctxt, instance.uuid, timeout, lambda i: i.task_state is None
                        and i.vm_state != VMState.RESIZED)
    except exceptions.StratoError as error:
        return error.msg
    if settled.host != source:
        return ""
    return _why_not(ctxt, instance.uuid)


def _wait(ctxt: context.RequestContext, uuid: str, timeout: float,
          done: Callable[[InstanceRecord], bool]) -> InstanceRecord:
    deadline = time.monotonic() + timeout
    while True:
        instance = compute_instances.get(ctxt, uuid)
        if done(instance):
            return instance
        if time.monotonic() > deadline:
            raise exceptions.MigrationError(
                reason=f"server {uuid} did not settle within {timeout:.0f}s "
                       f"(task state {instance.task_state})")
        time.sleep(POLL)


def _why_not(ctxt: context.RequestContext, uuid: str) -> str:
    migrations = compute_migrations.list_migrations(ctxt, instance_uuid=uuid)
    status = f"{migrations[0].migration_type} {migrations[0].status}" if migrations \
        else "no migration started"
    faults = compute_instances.latest_faults(ctxt, [uuid])
    fault = faults.get(uuid)
    return f"{status}: {fault.message}" if fault else status
