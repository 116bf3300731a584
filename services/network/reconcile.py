"""The level-triggered loop of the network agent: the desired state (built from the
database, through the conductor) against the rows Strato owns in OVN northbound, and the
creates, updates and deletes that make them equal, written in one transaction.

Both entry points are the same comparison over a set of scopes (see
common.db.api.network_state):
- ``sync(seeds)``, the fast path after an API change: the scopes the changed resources
  affect as the database sees them, plus those OVN still has rows for (a deleted
  resource exists only there). Requests queue up while a pass runs and are handled
  together by the next one.
- ``reconcile_all()``, on start and every ``[network] reconcile_interval``: every scope
  of either side. Anything it has to change had gone wrong (a lost message, a row
  deleted by hand), so it logs and counts these repairs.

A fast-path pass that fails (a transaction racing a concurrent change, the conductor
busy) keeps its seeds: they are queued again after a backoff that doubles per failure
of the same seed, and only after RETRIES failures left to the periodic pass.
"""
import collections
import threading
import time
from collections.abc import Iterable
from typing import Any

import prometheus_client
from oslo_log import log as logging

from common import context
from common.config import CONF
from services.network import desired as desired_state
from services.network.ovn import nb, rows
from services.network.ovn.nb_actions import Changes
from services.network.worker import Worker

LOG = logging.getLogger(__name__)

COALESCE_SECONDS = 0.05
RETRY_BASE_SECONDS = 0.2
RETRY_MAX_SECONDS = 10.0
RETRIES = 6
REPAIRS = prometheus_client.Counter(
    "strato_network_reconcile_repairs_total",
    "OVN northbound rows the periodic reconciliation had to create, update or delete, by "
    "table (Port_Group counts memberships too).", ["kind"])


def diff(desired: desired_state.Desired, actual: nb.Actual) -> Changes:
    """The changes that turn ``actual`` into ``desired`` (both limited to the same scopes)."""
    changes = Changes()
    for ident, want in desired.rows.items():
        have = actual.rows.get(ident)
        if have is None:
            changes.creates.append(want)
        elif have.parent != want.parent:
            changes.deletes.append(have)
            changes.creates.append(want)
        else:
            columns = rows.changed_columns(want, have)
            if columns:
                changes.updates.append((have, columns))
    changes.deletes += [row for ident, row in actual.rows.items() if ident not in desired.rows]
    changes.add_members = sorted(desired.members - actual.members, key=repr)
    changes.del_members = sorted(actual.members - desired.members, key=repr)
    return changes


class Reconciler(Worker):
    thread_name = "network-sync"

    def __init__(self, driver: Any, conductor: Any, report_status: Any) -> None:
        super().__init__()
        self.driver = driver
        self.conductor = conductor
        self.report_status = report_status
        self._lock = threading.Lock()  # one pass at a time: each reads, then writes
        self._pending: set[tuple[str, str]] = set()
        self._full_pending = False
        self._failures: dict[tuple[str, str], int] = {}  # seed: failed passes in a row
        self._deferred: list[tuple[float, list[tuple[str, str]]]] = []  # (due, seeds)

    # -- the fast path -----------------------------------------------------------------------

    def request(self, seeds: Iterable[Any]) -> None:
        """Queue resources (kind, id) to sync; returns at once."""
        with self._wakeup:
            self._pending |= {(str(kind), str(resource_id)) for kind, resource_id in seeds}
            self._wakeup.notify()

    def request_full(self) -> None:
        """Queue a full pass (e.g. as soon as OVN is connected); returns at once."""
        with self._wakeup:
            self._full_pending = True
            self._wakeup.notify()

    def _work(self) -> None:
        while True:
            with self._wakeup:
                while True:
                    next_retry = self._release_due_retries()
                    if self._pending or self._full_pending or self._stopped:
                        break
                    self._wakeup.wait(next_retry)
                if self._stopped:
                    return
            # A burst of API calls (a server with several ports, a bulk of rules)
            # becomes one pass instead of one each.
            time.sleep(COALESCE_SECONDS)
            with self._wakeup:
                seeds, self._pending = sorted(self._pending), set()
                full, self._full_pending = self._full_pending, False
            try:
                self.reconcile_all() if full else self.sync(seeds)
            except Exception as error:
                if full:
                    LOG.exception("reconcile pass failed; the next one repairs")
                else:
                    self._retry_later(seeds, error)
            else:
                with self._wakeup:
                    for seed in seeds:
                        self._failures.pop(seed, None)

    def _release_due_retries(self) -> float | None:
        """Move the deferred seeds that are due to the queue (called holding _wakeup);
        the seconds until the next one is due, None if none waits."""
        now = time.monotonic()
        for due, seeds in [entry for entry in self._deferred if entry[0] <= now]:
            self._deferred.remove((due, seeds))
            self._pending |= set(seeds)
        if not self._deferred:
            return None
        return max(0.0, min(due for due, _ in self._deferred) - now)

    def _retry_later(self, seeds: list[tuple[str, str]], error: Exception) -> None:
        with self._wakeup:
            failures = 1 + max((self._failures.get(seed, 0) for seed in seeds), default=0)
            if failures > RETRIES:
                for seed in seeds:
                    self._failures.pop(seed, None)
                LOG.error("sync of %s failed %d times, left to the periodic pass: %s",
                          seeds, RETRIES, error, exc_info=error)
                return
            self._failures.update(dict.fromkeys(seeds, failures))
            delay = min(RETRY_BASE_SECONDS * 2 ** (failures - 1), RETRY_MAX_SECONDS)
            self._deferred.append((time.monotonic() + delay, seeds))
            self._wakeup.notify()
        LOG.warning("sync of %d resources failed (%s: %s); again in %.1f s", len(seeds),
                    type(error).__name__, error, delay)

    def sync(self, seeds: list[tuple[str, str]]) -> Changes:
        """Converge the scopes ``seeds`` affect."""
        if not self.driver.connected:
            # The full pass that follows the connection covers these.
            LOG.debug("OVN northbound not connected; not syncing %s yet", seeds)
            return Changes()
        with self._lock:
            actual = self.driver.read()
            in_nb = actual.closure(seeds)
            state = self.conductor.get_network_state(
                context.get_admin_context(), seeds=seeds, scopes=sorted(in_nb))
            scopes = {tuple(scope) for scope in state["scopes"]} | in_nb | {rows.GLOBAL}
            changes = self._converge(state, actual, scopes)
        LOG.debug("synced %s: %d changes", seeds, len(changes))
        return changes

    # -- the periodic pass -------------------------------------------------------------------

    def reconcile_all(self) -> Changes:
        """Converge everything; log and count what had to be repaired."""
        if not self.driver.connected:
            LOG.info("OVN northbound not connected yet; nothing to reconcile")
            return Changes()
        with self._lock:
            actual = self.driver.read()
            state = self.conductor.get_network_state(context.get_admin_context())
            scopes = ({tuple(scope) for scope in state["scopes"]} | actual.scopes()
                      | {rows.GLOBAL})
            changes = self._converge(state, actual, scopes)
        if len(changes):
            counts = collections.Counter(changes.tables())
            for table, count in counts.items():
                REPAIRS.labels(kind=table).inc(count)
            LOG.warning("reconcile repaired %d OVN rows: %s", len(changes), dict(counts))
            for row in changes.creates:
                LOG.info("reconcile created %s %s", row.table, row.key)
            for row, columns in changes.updates:
                LOG.info("reconcile updated %s %s: %s", row.table, row.key, sorted(columns))
            for row in changes.deletes:
                LOG.info("reconcile deleted %s %s", row.table, row.key)
        self._check_statuses(state["ports"])
        return changes

    def _check_statuses(self, ports: list[dict]) -> None:
        """Port statuses the events missed (the agent was down, a message was lost)."""
        up = self.driver.ports_up({port["id"] for port in ports})
        wrong = {port["id"]: "ACTIVE" if up[port["id"]] else "DOWN" for port in ports
                 if port["id"] in up and port["status"] != ("ACTIVE" if up[port["id"]]
                                                            else "DOWN")}
        if wrong:
            self.report_status(wrong)

    # -- both ---------------------------------------------------------------------------

    def _converge(self, state: dict, actual: nb.Actual, scopes: set) -> Changes:
        settings = CONF.network
        built = desired_state.build(state, settings.gateway_chassis, settings.dns_domain,
                                    settings.dhcp_lease_duration, settings.dns_servers)
        wanted = desired_state.Desired(
            [row for row in built.rows.values() if row.scope in scopes],
            [member for member in built.members if member.scope in scopes])
        changes = diff(wanted, actual.in_scopes(scopes))
        self.driver.apply(changes, actual)
        return changes
