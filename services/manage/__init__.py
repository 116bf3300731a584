"""strato-manage: operator commands run on a control node (they read the database)."""
import argparse
import sys
from collections.abc import Sequence

from common import config
from services.manage import db, drs, ha, host, identity, service

CATEGORIES = (db, service, identity, host, ha, drs)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="strato-manage")
    parser.add_argument("--config-file", action="append", default=[],
                        help="Config file to read (repeatable).")
    parser.add_argument("--config-dir", help="Directory of *.conf files to read.")
    categories = parser.add_subparsers(dest="category", required=True)
    for module in CATEGORIES:
        module.register(categories)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    conf_argv = [arg for path in args.config_file for arg in ("--config-file", path)]
    if args.config_dir:
        conf_argv += ["--config-dir", args.config_dir]
    config.parse_args(conf_argv, default_config_files=[] if conf_argv else None)
    return args.func(args) or 0
