"""strato-manage db sync | version."""
import argparse

from common.db import migration


def register(categories: argparse._SubParsersAction) -> None:
    actions = categories.add_parser("db", help="Database schema.").add_subparsers(
        dest="action", required=True)
    actions.add_parser("sync", help="Create or upgrade the schema to the latest "
                                    "version.").set_defaults(func=sync)
    actions.add_parser("version", help="Print the schema version.").set_defaults(
        func=show_version)


def sync(_args: argparse.Namespace) -> None:
    migration.sync()
    print("database at revision " + ", ".join(migration.current_revisions()))


def show_version(_args: argparse.Namespace) -> None:
    print(", ".join(migration.current_revisions()) or "none")
