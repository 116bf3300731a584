"""strato-manage ha status: the compute hosts as the HA monitor sees them (up, down,
fenced, disabled) and the highly available servers of each, in restart order."""
import argparse
import datetime

from common import compute_states, context
from common.db.api import compute_hosts, host_fences
from common.db.api import services as services_db
from common.db.types import utcnow
from services.compute import drain, ha
from services.conductor.tasks import ha as monitor
from services.manage import table

HOST_HEADERS = ("Host", "State", "Last Heartbeat", "Servers", "HA Servers", "Fence")
SERVER_HEADERS = ("Host", "Server", "Id", "Status", "Priority")


def register(categories: argparse._SubParsersAction) -> None:
    actions = categories.add_parser("ha", help="High availability of servers.") \
        .add_subparsers(dest="action", required=True)
    status = actions.add_parser("status", help="Hosts and their highly available "
                                               "servers.")
    status.set_defaults(func=status_of_hosts)


def status_of_hosts(args: argparse.Namespace) -> int:
    ctxt = context.get_admin_context()
    fences = host_fences.list_fences(ctxt)
    now = utcnow()
    host_rows, server_rows = [], []
    for host, service in sorted(compute_hosts.compute_services(ctxt).items()):
        servers = drain.servers_on(ctxt, host)
        highly_available = ha.restart_order(servers)
        fence = fences.get(host)
        host_rows.append((host, _state(service, fence is not None, now),
                          service.last_seen_at, len(servers), len(highly_available),
                          f"{fence.fenced_at:%Y-%m-%d %H:%M:%S} by {fence.fenced_by}: "
                          f"{fence.outcome}" if fence else ""))
        server_rows += [(host, instance.display_name, instance.uuid,
                         compute_states.status_of(instance.vm_state, instance.task_state),
                         ha.priority(instance)) for instance in highly_available]
    print(table.render(HOST_HEADERS, host_rows))
    print()
    print(table.render(SERVER_HEADERS, server_rows) if server_rows
          else "no highly available server")
    print(f"\nhosts silent for {monitor.host_down_after():.0f}s are fenced")
    return 0


def _state(service: compute_hosts.ComputeService, fenced: bool,
           now: datetime.datetime) -> str:
    if fenced:
        return "fenced"
    if service.forced_down:
        return "forced down"
    state = "up" if services_db.is_up(service, now) else "down"
    return f"{state}, disabled" if service.disabled else state
