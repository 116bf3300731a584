"""Ports per second created through the network API and realized in OVN northbound,
against raw ovsdbapp writing switch ports in batched transactions, in the same run.

    .venv/bin/python benchmarks/network_ports.py [--ports 1000] [--batch 100]
        [--threads 8] [--rounds 3]

The baselines: ovsdbapp alone writes ``--ports`` switch ports, ``--batch`` per
transaction, into an empty northbound of its own: minimal ports, and ports with the
rows the network agent writes for one (UUID name, external_ids, DHCP options, two port
group memberships).

The Strato side is a private deployment as the functional tests start it (private
RabbitMQ vhost, free ports, temp state dir, SQLite): strato-api (its default two
gunicorn workers), strato-conductor and strato-network on a northbound of their own.
With an admin token (keystone v3 password auth) it makes a network and a /16 subnet,
then times from the first POST /network/v2.0/ports to the moment the last of the new
Logical_Switch_Ports exists in northbound (watched by a northbound replica of its own):
  - bulk: {"ports": [...]}, ``--batch`` ports per POST, one POST after the other;
  - concurrent: single-port POSTs from ``--threads`` client threads (what clients do);
  - one by one: single-port POSTs, one after the other (for reference).
Each run uses a new network; its ports stay, so each later run meets the earlier ones
in the database and in OVN, as in a cloud in use. The periodic reconcile is pushed out
of the way (600 s): the API's casts alone realize the ports. The baselines and the bulk
run ``--rounds`` times and the fastest counts (other work on the machine only slows a
run down); the single-port runs, tens of seconds each, run once.

Prints ports/s of each, its ratio to both baselines and when the last POST was answered
(the API's share of the time). Goal: bulk >= 0.5x raw ovsdbapp with the agent's rows.
Takes about a minute, two where Strato is slow.
"""
import argparse
import http.client
import json
import os
import re
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from ovsdbapp.backend.ovs_idl import connection, idlutils  # noqa: E402

from common import config, rpc  # noqa: E402
from services.network.ovn import idl  # noqa: E402
from tests.functional import fixtures  # noqa: E402
from tests.functional.fixtures import ovn  # noqa: E402

ADMIN_PASSWORD = "bench-secret"
RECONCILE_INTERVAL = 600
TIMEOUT = 300.0  # seconds any one measurement may take before the run gives up


# --- watching northbound -------------------------------------------------------------------

class _NameIdl(connection.OvsdbIdl):
    def cooperative_yield(self) -> None:
        """No green threads here: ovsdbapp's sleep(0) per row update only costs time."""


class SwitchPorts:
    """A replica of the names of northbound's switches and switch ports: cheap to count
    while thousands of ports arrive."""

    def __init__(self, remote: str) -> None:
        helper = idlutils.get_schema_helper(remote, "OVN_Northbound")
        for table in ("Logical_Switch", "Logical_Switch_Port"):
            helper.register_columns(table, ["name"])
        self.connection = connection.Connection(_NameIdl(remote, helper), 30)
        self.connection.start()

    def count(self, table: str = "Logical_Switch_Port") -> int:
        with self.connection.lock:
            return len(self.connection.idl.tables[table].rows)

    def wait(self, count: int, table: str = "Logical_Switch_Port") -> None:
        deadline = time.monotonic() + TIMEOUT
        while self.count(table) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{table}: {self.count(table)} rows, not {count}, "
                                   f"after {TIMEOUT}s")
            time.sleep(0.005)

    def stop(self) -> None:
        self.connection.stop(timeout=5)


def switch_ports(driver: idl.IdlDriver) -> int:
    with driver.api.ovsdb_connection.lock:
        return len(driver.api.tables["Logical_Switch_Port"].rows)


# --- the baselines -------------------------------------------------------------------------

def raw_ovsdbapp(driver: idl.IdlDriver, count: int, batch: int,
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
    while switch_ports(driver) < expected:
        time.sleep(0.005)
    return time.perf_counter() - started


def on_fresh_northbound(count: int, batch: int, like_strato: bool) -> float:
    """``raw_ovsdbapp`` against an empty northbound database of its own."""
    nb = ovn.Northbound()
    nb.start()
    driver = idl.IdlDriver(nb.nb_remote, 30)
    driver.start()
    try:
        driver.wait_connected(30)
        return raw_ovsdbapp(driver, count, batch, like_strato)
    finally:
        driver.stop()
        nb.cleanup()


# --- Strato through its API ----------------------------------------------------------------

class Client:
    """One keep-alive HTTP connection to strato-api, as a client library keeps."""

    def __init__(self, port: int, token: str | None = None) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.token = token

    def request(self, method: str, path: str, body: Any = None,
                expected: int | None = None) -> tuple[int, dict, Any]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["X-Auth-Token"] = self.token
        data = json.dumps(body) if body is not None else None
        self.connection.request(method, path, body=data, headers=headers)
        response = self.connection.getresponse()
        raw = response.read()
        if expected is not None and response.status != expected:
            raise RuntimeError(f"{method} {path}: {response.status} {raw[:500]!r}")
        payload = json.loads(raw) if raw and raw[:1] in b"{[" else raw
        return response.status, {k.lower(): v for k, v in response.getheaders()}, payload

    def close(self) -> None:
        self.connection.close()


@contextmanager
def strato(nb_remote: str) -> Iterator[tuple[int, str]]:
    """A private deployment writing to ``nb_remote``; yields its API port and an admin
    token, and stops every process it started (by pid) on the way out."""
    deployment = fixtures.Deployment()
    try:
        deployment.setup()
        with open(deployment.config_file) as f:
            port = int(re.search(r"bind_port = (\d+)", f.read()).group(1))
        with open(deployment.config_file, "a") as f:
            f.write(f"\n[network]\novn_nb_connection = {nb_remote}\n"
                    f"reconcile_interval = {RECONCILE_INTERVAL}\nquota_port = -1\n")
        with open(deployment.db_config_file, "a") as f:
            f.write(f"[api]\npublic_url = http://127.0.0.1:{port}\nworkers = 2\n"
                    "[identity]\nbcrypt_rounds = 4\n")
        deployment.manage("bootstrap", "--admin-password", ADMIN_PASSWORD)
        config.parse_args(["--config-file", deployment.config_file], default_config_files=[])
        # The agent's first call would wait out its timeout on a conductor not yet there.
        deployment.start("strato-conductor")
        deployment.ping("strato-conductor")
        deployment.start("strato-network")
        deployment.start("strato-api")
        with deployment.logs_on_failure():
            fixtures.wait_until(lambda: _healthy(port), 60, "strato-api answers")
        yield port, _token(port)
    finally:
        rpc.cleanup()
        deployment.cleanup()


def _healthy(port: int) -> bool:
    client = Client(port)
    try:
        return client.request("GET", "/healthcheck")[0] == 200
    except OSError:
        return False
    finally:
        client.close()


def _token(port: int) -> str:
    client = Client(port)
    try:
        _status, headers, _body = client.request("POST", "/identity/v3/auth/tokens", {
            "auth": {"identity": {"methods": ["password"], "password": {"user": {
                "name": "admin", "domain": {"name": "Default"},
                "password": ADMIN_PASSWORD}}},
                "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}},
            expected=201)
        return headers["x-subject-token"]
    finally:
        client.close()


def new_network(client: Client, nb: SwitchPorts, name: str) -> str:
    """A network with a /16 subnet, once its switch is in northbound (the agent is
    connected and done with it)."""
    switches = nb.count("Logical_Switch")
    net = client.request("POST", "/network/v2.0/networks", {"network": {"name": name}},
                         expected=201)[2]["network"]
    client.request("POST", "/network/v2.0/subnets", {"subnet": {
        "network_id": net["id"], "cidr": "10.128.0.0/16", "ip_version": 4}}, expected=201)
    nb.wait(switches + 1, "Logical_Switch")
    return net["id"]


def post_bulk(port: int, token: str, network_id: str, count: int, batch: int) -> None:
    client = Client(port, token)
    try:
        for first in range(0, count, batch):
            ports = [{"network_id": network_id}] * min(batch, count - first)
            client.request("POST", "/network/v2.0/ports", {"ports": ports}, expected=201)
    finally:
        client.close()


def post_singles(port: int, token: str, network_id: str, count: int, threads: int) -> None:
    """``count`` single-port POSTs shared among ``threads`` clients."""
    remaining = iter(range(count))
    lock = threading.Lock()

    def client_thread() -> None:
        client = Client(port, token)
        try:
            while True:
                with lock:
                    if next(remaining, None) is None:
                        return
                client.request("POST", "/network/v2.0/ports",
                               {"port": {"network_id": network_id}}, expected=201)
        finally:
            client.close()

    with ThreadPoolExecutor(threads) as pool:
        for future in [pool.submit(client_thread) for _ in range(threads)]:
            future.result()


def through_api(nb: SwitchPorts, port: int, token: str, count: int,
                post: Callable[[str], None]) -> tuple[float, float]:
    """Seconds from the first POST to the last new switch port in northbound, and to the
    answer of the last POST."""
    client = Client(port, token)
    try:
        network_id = new_network(client, nb, f"bench-{uuid.uuid4().hex[:6]}")
    finally:
        client.close()
    expected = nb.count() + count
    started = time.perf_counter()
    post(network_id)
    answered = time.perf_counter() - started
    nb.wait(expected)
    return time.perf_counter() - started, answered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ports", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=100,
                        help="ports per transaction of the raw runs, per POST of the bulk")
    parser.add_argument("--threads", type=int, default=8,
                        help="client threads of the concurrent single creates")
    parser.add_argument("--rounds", type=int, default=3,
                        help="runs of the baselines and of the bulk; the fastest counts")
    args = parser.parse_args()
    count, batch, rounds = args.ports, args.batch, args.rounds
    minimal = min(on_fresh_northbound(count, batch, False) for _ in range(rounds))
    raw = min(on_fresh_northbound(count, batch, True) for _ in range(rounds))
    nb = ovn.Northbound()
    try:
        nb.start()
        watcher = SwitchPorts(nb.nb_remote)
        try:
            with strato(nb.nb_remote) as (port, token):
                def measure(post: Callable[[str], None], times: int = 1) -> tuple[float, float]:
                    return min(through_api(watcher, port, token, count, post)
                               for _ in range(times))

                results = [
                    (f"API bulk, {batch} ports per POST", measure(
                        lambda net: post_bulk(port, token, net, count, batch), rounds)),
                    (f"API single POSTs, {args.threads} client threads", measure(
                        lambda net: post_singles(port, token, net, count, args.threads))),
                    ("API single POSTs, one by one", measure(
                        lambda net: post_singles(port, token, net, count, 1))),
                ]
        finally:
            watcher.stop()
    finally:
        nb.cleanup()
    print(f"{f'raw ovsdbapp, minimal ports, {batch}/txn':42s}: {count / minimal:7.1f} ports/s")
    print(f"{f'raw ovsdbapp, the agent rows, {batch}/txn':42s}: {count / raw:7.1f} ports/s")
    for name, (seconds, answered) in results:
        print(f"{name:42s}: {count / seconds:7.1f} ports/s = {raw / seconds:.2f}x raw "
              f"(agent rows), {minimal / seconds:.2f}x raw (minimal); last POST answered "
              f"at {answered:.2f} of {seconds:.2f} s")
    print(f"headline: API bulk = {raw / results[0][1][0]:.2f}x raw ovsdbapp with the "
          "agent's rows (goal >= 0.5)")


if __name__ == "__main__":
    main()
