"""The OVN backend against a real northbound ovsdb-server (skipped when OVN is missing)."""
import os

from common import ovn_names
from services.dns.backends import ovn
from tests.functional import fixtures
from tests.functional.fixtures import dns_servers
from tests.unit import base

NET = "5b3f6a5e-2d8e-4a7e-9a55-1c0f3c1b2a10"
RECORDS = {"web": "10.0.1.5", "web.example.org": "10.0.1.5",
           "5.1.0.10.in-addr.arpa": "web.example.org", "universe.local": "10.0.0.5"}


class OvnBackendTest(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        directory = os.path.join(self.state_path, "ovn")
        os.makedirs(directory)
        self.nb_db = dns_servers.NorthboundDB(directory)
        self.nb_db.start()
        self.addCleanup(self.nb_db.stop)
        self.flags(group="network", ovn_nb_connection=self.nb_db.remote)
        self.backend = ovn.OvnBackend()
        self.backend.start()
        self.addCleanup(self.backend.stop)
        # The switch as the network agent names and marks it.
        self.switch = ovn_names.switch_name(NET)
        self.nb_db.nbctl("ls-add", self.switch, "--", "set", "Logical_Switch", self.switch,
                         f"external_ids:strato\\:network={NET}")
        # ovn-nbctl wrote the switch; the backend's IDL sees it a moment later.
        fixtures.wait_until(lambda: ovn.find_switch(self.backend.nb, NET) is not None, 5,
                            "the backend sees the network's switch")

    def dns_rows(self) -> list[str]:
        return self.nb_db.nbctl("--bare", "--columns=records,external_ids", "list",
                                "DNS").split("\n\n")

    def bound(self) -> str:
        return self.nb_db.nbctl("--bare", "--columns=dns_records", "list", "Logical_Switch",
                                self.switch).strip()

    def test_records_are_bound_to_the_network_switch(self) -> None:
        self.backend.apply_network({"id": NET, "records": RECORDS})
        self.assertEqual({NET}, self.backend.network_ids())
        row = self.backend._rows()[NET]
        self.assertEqual(RECORDS, dict(row.records))
        self.assertEqual({"strato:owner": "dns", "strato:network_id": NET},
                         dict(row.external_ids))
        self.assertEqual(str(row.uuid), self.bound())  # a real reference, not dropped

    def test_changes_converge_and_apply_is_idempotent(self) -> None:
        self.backend.apply_network({"id": NET, "records": RECORDS})
        self.backend.apply_network({"id": NET, "records": {"db": "10.0.1.9"}})
        self.backend.apply_network({"id": NET, "records": {"db": "10.0.1.9"}})
        self.assertEqual([{"db": "10.0.1.9"}],
                         [dict(r.records) for r in self.backend._rows().values()])
        self.assertEqual(1, len(self.bound().split()))

    def test_a_row_or_binding_removed_by_hand_comes_back(self) -> None:
        self.backend.apply_network({"id": NET, "records": RECORDS})
        self.nb_db.nbctl("clear", "Logical_Switch", self.switch, "dns_records")
        # The backend's replica of the database learns of the change asynchronously.
        fixtures.wait_until(lambda: not ovn.find_switch(self.backend.nb, NET).dns_records, 5,
                            "the replica seeing the binding gone")
        self.backend.apply_network({"id": NET, "records": RECORDS})
        self.assertEqual(str(self.backend._rows()[NET].uuid), self.bound())
        self.nb_db.nbctl("destroy", "DNS", str(self.backend._rows()[NET].uuid))
        fixtures.wait_until(lambda: not self.backend.network_ids(), 5,
                            "the replica seeing the row gone")
        self.backend.apply_network({"id": NET, "records": RECORDS})
        self.assertEqual(str(self.backend._rows()[NET].uuid), self.bound())

    def test_remove_network_and_foreign_rows(self) -> None:
        self.nb_db.nbctl("create", "DNS", 'records={"other"="10.9.9.9"}')
        self.backend.apply_network({"id": NET, "records": RECORDS})
        self.backend.remove_network(NET)
        self.backend.remove_network(NET)
        self.assertEqual(set(), self.backend.network_ids())
        self.assertEqual("", self.bound())
        self.assertIn("other", self.nb_db.nbctl("list", "DNS"))  # never touched

    def test_a_network_without_switch_waits(self) -> None:
        self.backend.apply_network({"id": "no-switch-yet", "records": RECORDS})
        self.assertEqual(set(), self.backend.network_ids())
