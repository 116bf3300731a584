"""The fault tests' scenarios at a larger size: per scenario, how long the cloud takes
to settle after the fault and what it leaves behind.

Each scenario is the storm of tests/functional/faults (a private cloud: api,
conductor, scheduler, a fake-driver compute agent, the network and dns agents, a
private OVN northbound; servers created and deleted on a network from 4 client threads)
with ``--servers`` servers, and the fault a third of the way in:
kill -9 of an api worker, the scheduler, the conductor, the compute, network and dns
agents (each started again), RabbitMQ's stop_app for 20 s (a private node), and the
northbound ovsdb-server crashed and started empty.

    .venv/bin/python benchmarks/chaos.py [--servers 200] [--only conductor broker ...]

Prints one line per scenario: recovery seconds (from the end of the fault until every
server is ACTIVE, ERROR with a fault, or deleted) and the leak count (allocations,
ports, OVN ports, DNS records or guests left once all were deleted); FAILED with the
reason when a scenario did not settle.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from tests.functional.faults import storm, test_broker_outage, test_service_kills  # noqa: E402


class Kills(test_service_kills.ServiceKillTest):
    pass


class Broker(test_broker_outage.BrokerOutageTest):
    pass


class Northbound(test_service_kills.ServiceKillTest):
    def crash_northbound(self) -> None:
        self.nb.crash_and_start_empty()


def scenarios() -> dict[str, tuple[type, str, object]]:
    """name: (test class, storm prefix, the strike as a function of the test)."""
    found = {binary.split("-")[1]: (Kills, binary.split("-")[1],
                                    lambda test, b=binary: test.kill_and_restart(b))
             for binary in test_service_kills.VICTIMS}
    found["broker"] = (Broker, "broker", lambda test: test.outage())
    found["northbound"] = (Northbound, "nb", lambda test: test.crash_northbound())
    return found


def run(cls: type, prefix: str, strike) -> str:
    test = cls("run")  # an instance to call check_storm on, not a test run
    try:
        test.check_storm(prefix, lambda: strike(test), recovery_timeout=60)
    except AssertionError as error:
        report = test.report
        return (f"FAILED (recovery {report['recovery']}, leaks {report['leaks']}): "
                f"{str(error).splitlines()[0][:300]}")
    return f"recovery {test.report['recovery']:.1f} s, leaks {test.report['leaks']}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=200)
    parser.add_argument("--only", nargs="*", help="scenario names (default: all)")
    args = parser.parse_args()
    chosen = {name: s for name, s in scenarios().items()
              if not args.only or name in args.only}
    storm.StormTestCase.storm_size = args.servers
    print(f"chaos: {args.servers} servers per storm")
    for cls in sorted({c for c, _p, _s in chosen.values()}, key=lambda c: c.__name__):
        cls.setUpClass()
        try:
            for name, (owner, prefix, strike) in chosen.items():
                if owner is cls:
                    print(f"{name:<12} {run(cls, prefix, strike)}", flush=True)
        finally:
            cls.doClassCleanups()


if __name__ == "__main__":
    main()
