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

Both go through one work queue (common.workqueue), a full pass as the key FULL: a
fast-path pass that fails (a transaction racing a concurrent change, the conductor
busy) keeps its seeds, which come back after a back-off that doubles per failure, and
only after RETRIES failures are left to the periodic pass.
"""
import collections
import threading
from collections.abc import Iterable
from typing import Any

import prometheus_client
from oslo_log import log as logging

from common import context, workqueue
from common.config import CONF
from services.network import desired as desired_state
from services.network.ovn import nb, rows
from services.network.ovn.nb_actions import Changes

LOG = logging.getLogger(__name__)

COALESCE_SECONDS = 0.05
RETRY_BASE_SECONDS = 0.2
RETRY_MAX_SECONDS = 10.0
RETRIES = 6
Seed = tuple[str, str]  # (kind, id) of a changed resource
FULL: Seed = ("*", "*")  # the key of a full pass
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


class Reconciler:
    def __init__(self, driver: Any, conductor: Any, report_status: Any) -> None:
        self.driver = driver
        self.conductor = conductor
        self.report_status = report_status
        self._lock = threading.Lock()  # one pass at a time: each reads, then writes
        # A burst of API calls (a server with several ports, a bulk of rules) becomes
        # one pass instead of one each.
        self.worker: workqueue.QueueWorker[Seed] = workqueue.QueueWorker(
            "network", self._process, coalesce=COALESCE_SECONDS, retries=RETRIES,
            base_delay=RETRY_BASE_SECONDS, max_delay=RETRY_MAX_SECONDS)

    def start(self) -> None:
        self.worker.start()

    def stop(self) -> None:
        self.worker.stop()

    # -- the fast path -----------------------------------------------------------------------

    def request(self, seeds: Iterable[Any]) -> None:
        """Queue resources (kind, id) to sync; returns at once."""
        self.worker.add_all((str(kind), str(resource_id)) for kind, resource_id in seeds)

    def request_full(self) -> None:
        """Queue a full pass (e.g. as soon as OVN is connected); returns at once."""
        self.worker.add(FULL)

    def _process(self, batch: list[Seed]) -> None:
        if FULL in batch:
            self.reconcile_all()  # covers the seeds queued beside it
        else:
            self.sync(sorted(batch))

    def sync(self, seeds: list[Seed]) -> Changes:
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
