"""50 ports created at once on one subnet get 50 different addresses, on SQLite,
PostgreSQL and MariaDB: the UNIQUE(subnet_id, ip_address) guard plus a retry of the
loser is what makes it safe, not luck or a process-local lock."""
import concurrent.futures
import os

from common.config import CONF
from common.db import migration, session
from tests.functional import fixtures
from tests.network_requests import network_ports as ports
from tests.unit.base import network as network_helpers
from tests.unit.base.network import ALICE

PORTS = 50


class ConcurrencyMixin:
    def database_url(self) -> str:
        raise NotImplementedError

    def setUp(self) -> None:
        super().setUp()
        url = self.database_url()
        CONF.set_override("connection", url, group="database")
        CONF.set_override("max_pool_size", 20, group="database")
        migration.sync()
        self.addCleanup(session.dispose_all)  # before the scratch database is dropped

    def test_parallel_port_creates_never_share_an_address(self) -> None:
        net = self.network()
        self.subnet(net, "10.9.0.0/24")
        with concurrent.futures.ThreadPoolExecutor(PORTS) as pool:
            made = list(pool.map(lambda i: self.port(net, name=f"p{i}"), range(PORTS)))
        addresses = [port["fixed_ips"][0]["ip_address"] for port in made]
        self.assertEqual(PORTS, len(set(addresses)), sorted(addresses))
        listed = ports.list_ports(ALICE, filters={"network_id": [net["id"]]})
        self.assertEqual(sorted(addresses),
                         sorted(port["fixed_ips"][0]["ip_address"] for port in listed))
        self.assertEqual(PORTS, len({port["mac_address"] for port in listed}))


class SQLiteConcurrencyTest(ConcurrencyMixin, network_helpers.NetworkTestCase):
    def database_url(self) -> str:
        return "sqlite:///" + os.path.join(self.state_path, "concurrency.sqlite")


class PostgreSQLConcurrencyTest(ConcurrencyMixin, network_helpers.NetworkTestCase):
    def database_url(self) -> str:
        return fixtures.scratch_database(self, fixtures.POSTGRES_URL)


class MariaDBConcurrencyTest(ConcurrencyMixin, network_helpers.NetworkTestCase):
    def database_url(self) -> str:
        return fixtures.scratch_database(self, fixtures.MYSQL_URL)
