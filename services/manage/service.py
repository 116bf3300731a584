"""strato-manage service list | disable | enable | delete | ping."""
import argparse
import time

import oslo_messaging as messaging

from common import context, rpc, topics
from common.config import CONF
from common.db.api import services as services_db
from services.manage import table

# strato-manage acts as the operator, on every project.
_OPERATOR = context.get_admin_context()
HEADERS = ("Id", "Binary", "Host", "Topic", "Status", "State", "Last Heartbeat", "Version")
PING_HEADERS = ("Topic", "Binary", "Host", "Version")
# A call to a server whose queue does not exist yet is dropped by the broker and only
# times out: short attempts notice a service soon after it starts listening.
PING_ATTEMPT_TIMEOUT = (2.0, 5.0)


def register(categories: argparse._SubParsersAction) -> None:
    actions = categories.add_parser("service", help="Registered services.").add_subparsers(
        dest="action", required=True)
    listing = actions.add_parser("list", help="Every service with its up/down state.")
    listing.add_argument("--binary")
    listing.add_argument("--host")
    listing.set_defaults(func=list_services)
    disable = actions.add_parser("disable", help="Stop scheduling to a service.")
    disable.add_argument("service_id")
    disable.add_argument("--reason")
    disable.set_defaults(func=lambda a: _set_disabled(a.service_id, True, a.reason))
    enable = actions.add_parser("enable", help="Schedule to a service again.")
    enable.add_argument("service_id")
    enable.set_defaults(func=lambda a: _set_disabled(a.service_id, False, None))
    delete = actions.add_parser("delete", help="Forget a service.")
    delete.add_argument("service_id")
    delete.set_defaults(func=lambda a: services_db.delete(_OPERATOR, a.service_id))
    ping = actions.add_parser("ping", help="Ask each of the six services over RPC who it "
                                           "is; exit 1 if one does not answer.")
    ping.add_argument("--host", help="Server name the services listen on "
                                     "(default: [DEFAULT] host).")
    ping.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                      help="Keep asking until every service answered or SECONDS passed.")
    ping.set_defaults(func=ping_services)


def list_services(args: argparse.Namespace) -> None:
    rows = [(s.uuid, s.binary, s.host, s.topic, "disabled" if s.disabled else "enabled",
             "up" if services_db.is_up(s) else "down",
             s.last_seen_at.isoformat(timespec="seconds") if s.last_seen_at else "",
             s.version)
            for s in services_db.list_services(_OPERATOR, binary=args.binary,
                                                 host=args.host)]
    print(table.render(HEADERS, rows))


def _set_disabled(service_id: str, disabled: bool, reason: str | None) -> None:
    services_db.update(_OPERATOR, service_id, disabled=disabled,
                       disabled_reason=reason)


def ping_services(args: argparse.Namespace) -> int:
    host = args.host or CONF.host
    deadline = time.monotonic() + args.wait
    rows = []
    try:
        for topic in topics.ALL:
            answer = _ping_until(topic, host, deadline)
            rows.append((topic, answer["binary"], answer["host"], answer["version"])
                        if answer else (topic, "", host, "no answer"))
    finally:
        rpc.cleanup()
    print(table.render(PING_HEADERS, rows))
    return 1 if any(row[3] == "no answer" for row in rows) else 0


def _ping_until(topic: str, host: str, deadline: float) -> dict[str, str] | None:
    low, high = PING_ATTEMPT_TIMEOUT
    while True:
        timeout = min(max(deadline - time.monotonic(), low), high)
        try:
            return rpc.ping(topic, host, timeout=timeout)
        except (messaging.MessagingTimeout, messaging.MessageUndeliverable):
            if time.monotonic() >= deadline:
                return None
