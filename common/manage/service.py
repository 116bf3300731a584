"""strato-manage service list | disable | enable | delete."""
import argparse

from common.db.api import services as services_db
from common.manage import table

HEADERS = ("Id", "Binary", "Host", "Topic", "Status", "State", "Last Heartbeat", "Version")


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
    delete.set_defaults(func=lambda a: services_db.delete(a.service_id))


def list_services(args: argparse.Namespace) -> None:
    rows = [(s.uuid, s.binary, s.host, s.topic, "disabled" if s.disabled else "enabled",
             "up" if services_db.is_up(s) else "down",
             s.last_seen_at.isoformat(timespec="seconds") if s.last_seen_at else "",
             s.version)
            for s in services_db.list_services(binary=args.binary, host=args.host)]
    print(table.render(HEADERS, rows))


def _set_disabled(service_id: str, disabled: bool, reason: str | None) -> None:
    services_db.update(service_id, disabled=disabled, disabled_reason=reason)
