"""strato-manage drs plan | apply: rebalance the compute hosts' load by live migration
(services.compute.drs). ``plan`` only prints what ``apply`` would do; ``apply`` moves
one server at a time, one line each as it ends, then prints the spread it left. Exit
status 1 when a move failed."""
import argparse

from common import context, rpc
from services.compute import drs
from services.manage import table

HOST_HEADERS = ("Host", "Zone", "Load", "Planned load")


def register(categories: argparse._SubParsersAction) -> None:
    actions = categories.add_parser("drs", help="Load rebalancing of compute hosts.") \
        .add_subparsers(dest="action", required=True)
    for name, func, help_text in (
            ("plan", plan, "Print the live migrations that would rebalance the hosts."),
            ("apply", apply, "Carry the plan out, with progress.")):
        action = actions.add_parser(name, help=help_text)
        action.add_argument("--threshold", type=_share, metavar="SHARE",
                            help="Largest spread left alone (default [drs] threshold).")
        action.add_argument("--max-moves", type=_count, metavar="N",
                            help="Moves at most (default [drs] max_moves).")
        if name == "apply":
            action.add_argument("--timeout", type=float, default=900.0,
                                metavar="SECONDS",
                                help="How long one move may take (default 900).")
        action.set_defaults(func=func)


def _share(value: str) -> float:
    share = float(value)
    if not 0 < share <= 1:
        raise argparse.ArgumentTypeError(f"{value} is not a share in (0, 1]")
    return share


def _count(value: str) -> int:
    count = int(value)
    if count < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return count


def plan(args: argparse.Namespace) -> int:
    the_plan = _plan(args)
    print(_describe(the_plan))
    return 0


def apply(args: argparse.Namespace) -> int:
    ctxt = context.get_admin_context()
    the_plan = _plan(args)
    print(_describe(the_plan), flush=True)
    failed = 0
    try:
        for index, outcome in enumerate(drs.apply(ctxt, the_plan.moves, args.timeout),
                                        start=1):
            name = f"{outcome.name} ({outcome.uuid})" if outcome.name else outcome.uuid
            total = len(the_plan.moves)
            if outcome.moved:
                print(f"[{index}/{total}] {name}: {outcome.how} to {outcome.host} in "
                      f"{outcome.seconds:.1f}s", flush=True)
            else:
                failed += 1
                print(f"[{index}/{total}] {name}: not moved: {outcome.reason}", flush=True)
    finally:
        rpc.cleanup()
    now = drs.plan(ctxt, the_plan.threshold, 0)
    print("spread now: " + _spreads(now.spread(now.before)))
    return 1 if failed else 0


def _plan(args: argparse.Namespace) -> drs.Plan:
    return drs.plan(context.get_admin_context(), args.threshold, args.max_moves)


def _describe(the_plan: drs.Plan) -> str:
    rows = [(host, the_plan.zones[host], _percent(share),
             _percent(the_plan.after[host])) for host, share in sorted(
                 the_plan.before.items())]
    lines = [table.render(HOST_HEADERS, rows),
             f"spread: {_spreads(the_plan.spread(the_plan.before))}; planned: "
             f"{_spreads(the_plan.spread(the_plan.after))} "
             f"(threshold {_percent(the_plan.threshold)})"]
    if not the_plan.moves:
        lines.append("no move needed" if all(
            spread <= the_plan.threshold for spread in the_plan.spread(
                the_plan.before).values()) else "no move lowers the spread")
    for index, move in enumerate(the_plan.moves, start=1):
        name = f"{move.name} ({move.uuid})" if move.name else move.uuid
        lines.append(f"move {index}: {name}: {move.source} -> {move.dest}")
    return "\n".join(lines)


def _spreads(spreads: dict[str, float]) -> str:
    return ", ".join(f"{zone} {_percent(spread)}" for zone, spread in sorted(
        spreads.items())) or "no usable host"


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"
