"""Ports per second: made through the networking domain functions and realized in OVN
northbound by the network agent's reconciler, against raw ovsdbapp writing the same
switch ports in batched transactions, in the same run on the same machine.

    .venv/bin/python benchmarks/network_ports.py [--ports 1000] [--batch 100]

The agent path is the real code (domain functions with IPAM on SQLite, the desired-state
builder, the diff, batched NB transactions); the conductor's snapshot is served in
process, with the JSON round trip of the bus but without RabbitMQ. Two variants: ports
created one by one (each followed by a sync request, as the network API casts), and one
bulk create (POST /ports with a list) followed by one sync request. The raw baseline
writes the same rows the agent writes for a port (and, for reference, minimal ports).
Goal: >= 0.5x raw.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from common import config, context  # noqa: E402
from common.config import CONF  # noqa: E402
from common.db import migration, session  # noqa: E402
from common.db.api import network as networks  # noqa: E402
from common.db.api import network_ports as ports  # noqa: E402
from common.db.api import network_state  # noqa: E402
from common.db.api import network_subnets as subnets  # noqa: E402
from services.network import reconcile  # noqa: E402
from services.network.ovn import driver as ovn_driver  # noqa: E402
from tests.functional.network import ovn  # noqa: E402

USER = context.RequestContext(project_id="bench", roles=["member"], overwrite=False)


class InProcessConductor:
    def get_network_state(self, ctxt, seeds=None, scopes=None) -> dict:
        return json.loads(json.dumps(network_state.snapshot(seeds, scopes)))

    def update_port_status(self, ctxt, statuses) -> None:
        network_state.set_port_statuses(statuses)


def switch_ports(driver: ovn_driver.OvnDriver) -> int:
    """Switch ports in the agent's replica of OVN northbound (cheap enough to poll)."""
    with driver.api.ovsdb_connection.lock:
        return len(driver.api.tables["Logical_Switch_Port"].rows)


def wait_ports(driver: ovn_driver.OvnDriver, count: int) -> None:
    while switch_ports(driver) < count:
        time.sleep(0.005)


def agent_path(driver: ovn_driver.OvnDriver, count: int, bulk: bool) -> float:
    """Seconds from the first create to the last switch port in OVN."""
    net = networks.create_network(USER, {"name": f"bench-{bulk}"})
    subnets.create_subnet(USER, {"network_id": net["id"], "cidr": "10.128.0.0/16"})
    reconciler = reconcile.Reconciler(driver, InProcessConductor(), lambda statuses: None)
    reconciler.sync([("network", net["id"])])
    reconciler.start()
    try:
        expected = switch_ports(driver) + count
        started = time.perf_counter()
        if bulk:
            made = ports.create_ports(USER, [{"network_id": net["id"]}] * count)
            reconciler.request([("port", port["id"]) for port in made])
        else:
            for _ in range(count):
                port = ports.create_port(USER, {"network_id": net["id"]})
                reconciler.request([("port", port["id"])])
        wait_ports(driver, expected)
        return time.perf_counter() - started
    finally:
        reconciler.stop()


def raw_ovsdbapp(driver: ovn_driver.OvnDriver, count: int, batch: int,
                 like_strato: bool) -> float:
    """Seconds for ovsdbapp alone to write ``count`` switch ports, ``batch`` per
    transaction. ``like_strato``: the same rows the agent writes for a port (UUID name,
    external_ids, DHCP options, two port group memberships); else minimal ports."""
    api = driver.api
    switch = f"raw-{like_strato}"
    groups = [f"pg_{switch}_a".replace("-", "_"), f"pg_{switch}_b".replace("-", "_")]
    with api.transaction(check_error=True) as txn:
        txn.add(api.ls_add(switch, may_exist=True))
        for group in groups:
            txn.add(api.pg_add(group, may_exist=True, acls=[]))
    dhcp = api.dhcp_options_add("10.200.0.0/16", owner="bench").execute(check_error=True)
    expected = switch_ports(driver) + count
    started = time.perf_counter()
    for first in range(0, count, batch):
        with api.transaction(check_error=True) as txn:
            for i in range(first, min(first + batch, count)):
                mac = f"fa:16:3e:{i >> 16 & 255:02x}:{i >> 8 & 255:02x}:{i & 255:02x}"
                address = f"{mac} 10.200.{i >> 8 & 255}.{i & 255}"
                if not like_strato:
                    txn.add(api.lsp_add(switch, f"raw-{i}", addresses=[address],
                                        port_security=[address]))
                    continue
                port_id = str(uuid.uuid4())
                lsp = txn.add(api.lsp_add(
                    switch, port_id, addresses=[address], port_security=[address],
                    enabled=[True], dhcpv4_options=[dhcp.uuid], external_ids={
                        "strato:owner": "strato", "strato:scope": f"port:{port_id}",
                        "strato:revision": "1"}))
                for group in groups:
                    txn.add(api.pg_add_ports(group, lsp))
    wait_ports(driver, expected)
    return time.perf_counter() - started


def on_fresh_northbound(measure: Callable[..., float], *args: Any, **kwargs: Any) -> float:
    """``measure(driver, ...)`` against an empty northbound database of its own."""
    nb = ovn.Northbound()
    nb.start()
    driver = ovn_driver.OvnDriver(nb.nb_remote, 30)
    driver.start()
    try:
        driver.wait_connected(30)
        return measure(driver, *args, **kwargs)
    finally:
        driver.stop()
        nb.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=100,
                        help="ports per transaction of the raw ovsdbapp run")
    args = parser.parse_args()
    state = tempfile.mkdtemp(prefix="strato-bench-")
    config.parse_args([], default_config_files=[])
    CONF.set_override("state_path", state)
    CONF.set_override("quota_port", -1, group="network")
    migration.sync()
    try:
        minimal = on_fresh_northbound(raw_ovsdbapp, args.ports, args.batch, like_strato=False)
        raw = on_fresh_northbound(raw_ovsdbapp, args.ports, args.batch, like_strato=True)
        bulk = on_fresh_northbound(agent_path, args.ports, bulk=True)
        one_by_one = on_fresh_northbound(agent_path, args.ports, bulk=False)
    finally:
        session.dispose_all()
        shutil.rmtree(state, ignore_errors=True)
    raw_rate = args.ports / raw
    report = [(f"raw ovsdbapp, minimal ports, {args.batch}/txn", minimal),
              (f"raw ovsdbapp, the agent's rows, {args.batch}/txn", raw),
              ("agent path, one bulk create", bulk),
              ("agent path, ports created one by one", one_by_one)]
    for name, seconds in report:
        rate = args.ports / seconds
        print(f"{name:44s}: {rate:7.1f} ports/s = {rate / raw_rate:.2f}x raw "
              "(the agent's rows)")


if __name__ == "__main__":
    main()
