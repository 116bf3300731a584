"""strato-manage host drain HOST: empty a compute host for maintenance.

The host's compute service is disabled first (no new server lands there while it
drains; `openstack compute service set --enable` brings it back), then each server
moves away (services.compute.drain), one line a server as it ends, and a summary.
Exit status 1 when a server could not move.
"""
import argparse

from common import context, rpc
from common.db.api import services as services_db
from services.compute import drain as drain_domain

COMPUTE = "strato-compute"
DRAINING = "draining for maintenance (strato-manage host drain)"


def register(categories: argparse._SubParsersAction) -> None:
    actions = categories.add_parser("host", help="Compute hosts.").add_subparsers(
        dest="action", required=True)
    drain = actions.add_parser("drain", help="Move every server off a compute host "
                                             "(live where it can, else cold).")
    drain.add_argument("host")
    drain.add_argument("--timeout", type=float, default=900.0, metavar="SECONDS",
                       help="How long one server's move may take (default 900).")
    drain.set_defaults(func=drain_host)


def drain_host(args: argparse.Namespace) -> int:
    ctxt = context.get_admin_context()
    services = services_db.list_services(ctxt, binary=COMPUTE, host=args.host)
    if not services:
        print(f"no compute service on host {args.host}")
        return 1
    services_db.update(ctxt, services[0].uuid, disabled=True, disabled_reason=DRAINING)
    servers = drain_domain.servers_on(ctxt, args.host)
    print(f"host {args.host}: compute service disabled; {len(servers)} server(s) to move",
          flush=True)
    outcomes = []
    try:
        for index, outcome in enumerate(drain_domain.drain(ctxt, args.host, args.timeout),
                                        start=1):
            outcomes.append(outcome)
            print(_line(index, len(servers), outcome), flush=True)
    finally:
        rpc.cleanup()
    return _summary(args.host, outcomes)


def _line(index: int, total: int, outcome: drain_domain.Outcome) -> str:
    name = f"{outcome.name} ({outcome.uuid})" if outcome.name else outcome.uuid
    if outcome.moved:
        note = f" (live migration failed: {outcome.reason})" if outcome.reason else ""
        return (f"[{index}/{total}] {name}: {outcome.how} to {outcome.host} in "
                f"{outcome.seconds:.1f}s{note}")
    return f"[{index}/{total}] {name}: not moved: {outcome.reason}"


def _summary(host: str, outcomes: list[drain_domain.Outcome]) -> int:
    counts = {how: sum(1 for o in outcomes if o.how == how)
              for how in ("live-migrated", "cold-migrated", "not moved")}
    print(f"host {host}: {counts['live-migrated']} live-migrated, "
          f"{counts['cold-migrated']} cold-migrated, {counts['not moved']} not moved")
    left = drain_domain.servers_on(context.get_admin_context(), host)
    if left:
        print(f"still on {host}: " + ", ".join(i.display_name or i.uuid for i in left))
    return 1 if counts["not moved"] or left else 0
