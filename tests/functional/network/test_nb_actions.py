"""What nb_actions writes and nb.py reads, on a real OVN northbound database: the
ovsdbapp traps (references to rows of the same transaction, weak references, columns of
new rows), idempotency, and rows Strato does not own."""
from common import exceptions, ovn_names
from services.network import desired, reconcile
from services.network.ovn import nb_actions, rows
from services.network.ovn.nb_actions import Changes
from tests.functional.fixtures import northbound


def make_rows() -> list[rows.Row]:
    scope = ("network", "n1")
    switch = ovn_names.switch_name("n1")
    return [
        rows.make("Logical_Switch", switch, scope, {"network": "n1"}),
        rows.make("DHCP_Options", "s1", scope, {"subnet": "s1"}, cidr="10.0.0.0/24",
                  options={"server_id": "10.0.0.1", "lease_time": "600"}),
        rows.make("Logical_Switch_Port", "p1", ("port", "p1"), {"port": "p1"}, parent=switch,
                  addresses=["fa:16:3e:00:00:01 10.0.0.5"],
                  dhcpv4_options=[rows.Ref("DHCP_Options", "s1")]),
        rows.make("Logical_Router", "strato-r1", ("router", "r1"), {"router": "r1"}),
        rows.make("NAT", "snat 172.24.4.2 10.0.0.0/24", ("router", "r1"), {"router": "r1"},
                  parent="strato-r1", type="snat", external_ip="172.24.4.2",
                  logical_ip="10.0.0.0/24"),
        rows.make("Port_Group", "pg_x", ("security_group", "x")),
        rows.make("ACL", "to-lport 1002 outport == @pg_x && ip4 allow-related",
                  ("security_group", "x"), parent="pg_x", direction="to-lport", priority=1002,
                  match="outport == @pg_x && ip4", action="allow-related"),
    ]


class NbActionsTest(northbound.RealNorthboundTestCase):
    def write(self, wanted: desired.Desired) -> Changes:
        actual = self.driver.read()
        changes = reconcile.diff(wanted, actual)
        self.driver.apply(changes, actual)
        return changes

    def test_one_transaction_creates_everything_and_reads_it_back(self) -> None:
        wanted = desired.Desired(make_rows(), [rows.Member("pg_x", "p1")])
        self.assertEqual(8, len(self.write(wanted)))
        self.assertEqual(0, len(self.write(wanted)))
        actual = self.driver.read()
        self.assertEqual({rows.Member("pg_x", "p1")}, actual.members)
        # The switch port points at the DHCP row made in the same transaction.
        dhcp_uuid = self.nbctl_list("DHCP_Options", "_uuid")
        self.assertEqual(dhcp_uuid, self.nbctl_list("Logical_Switch_Port", "dhcpv4_options"))
        # NAT rows carry external_ids, which ovsdbapp's lr_nat_add cannot set.
        self.assertIn("strato:router=r1", self.nb.nbctl("--bare", "--columns=external_ids",
                                                        "list", "NAT"))

    def test_foreign_rows_are_invisible_and_kept(self) -> None:
        self.write(desired.Desired(make_rows(), []))
        self.nb.nbctl("ls-add", "foreign")
        self.nb.nbctl("lsp-add", ovn_names.switch_name("n1"), "foreign-port")
        self.nb.nbctl("--", "--id=@a", "create", "ACL", "direction=to-lport", "priority=5",
                      "match=ip4", "action=allow", "--", "add", "Port_Group", "pg_x",
                      "acls", "@a")
        self.wait_until(lambda: len(self.driver.api.tables["ACL"].rows) == 2)
        actual = self.driver.read()
        self.assertNotIn(("Logical_Switch", "foreign"), actual.rows)
        self.assertNotIn(("Logical_Switch_Port", "foreign-port"), actual.rows)
        self.assertEqual(1, sum(1 for row in actual.rows.values() if row.table == "ACL"))
        # Strato's port and ACL go; the foreign ones in the same switch and group stay.
        kept = [row for row in make_rows() if row.table not in ("Logical_Switch_Port", "ACL")]
        self.write(desired.Desired(kept, []))
        self.assertEqual(["foreign-port"], self.nbctl_list("Logical_Switch_Port"))
        self.assertEqual(["5"], self.nbctl_list("ACL", "priority"))
        # Strato's switch goes (with what is inside it); the foreign switch stays.
        self.write(desired.Desired([], []))
        self.assertEqual(["foreign"], self.nbctl_list("Logical_Switch"))
        self.assertEqual([], self.nbctl_list("Port_Group"))

    def test_changed_columns_are_set_back(self) -> None:
        wanted = desired.Desired(make_rows(), [])
        self.write(wanted)
        self.nb.nbctl("lsp-set-addresses", "p1", "fa:16:3e:00:00:02 10.0.0.9")
        self.wait_until(lambda: "10.0.0.9" in str(
            self.driver.read().rows[("Logical_Switch_Port", "p1")].columns["addresses"]))
        changes = self.write(wanted)
        self.assertEqual([("Logical_Switch_Port", ["addresses"])],
                         [(row.table, sorted(cols)) for row, cols in changes.updates])
        self.assertEqual(["fa:16:3e:00:00:01", "10.0.0.5"],
                         self.nbctl_list("Logical_Switch_Port", "addresses"))

    def test_a_grown_set_is_written_as_its_difference(self) -> None:
        def address_set(*addresses: str) -> desired.Desired:
            return desired.Desired([rows.make("Address_Set", "as_x", ("security_group", "x"),
                                              addresses=list(addresses))], [])

        self.write(address_set("10.0.0.1", "10.0.0.2"))
        changes = self.write(address_set("10.0.0.2", "10.0.0.3"))
        self.assertEqual([("Address_Set", ["addresses"])],
                         [(row.table, sorted(cols)) for row, cols in changes.updates])
        self.assertEqual(["10.0.0.2", "10.0.0.3"],
                         sorted(self.nbctl_list("Address_Set", "addresses")))
        self.assertEqual(0, len(self.write(address_set("10.0.0.2", "10.0.0.3"))))

    def test_duplicates_are_removed(self) -> None:
        wanted = desired.Desired(make_rows(), [])
        self.write(wanted)
        nat = [row for row in make_rows() if row.table == "NAT"]
        api = self.driver.api
        nb_actions.apply(api, Changes(creates=nat), {})  # a second writer's copy
        self.assertEqual(2, len(self.nbctl_list("NAT", "_uuid")))
        self.assertEqual(1, len(self.write(wanted).deletes))
        self.assertEqual(1, len(self.nbctl_list("NAT", "_uuid")))

    def test_missing_parent_fails_the_batch(self) -> None:
        orphan = [row for row in make_rows() if row.table == "Logical_Switch_Port"]
        with self.assertRaises(exceptions.OvnRowMissing):
            self.write(desired.Desired(orphan, []))
        self.assertEqual([], self.nbctl_list("Logical_Switch_Port"))
