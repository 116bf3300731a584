"""The network agent's parts on a real OVN northbound ovsdb-server of the test's own:
nb_base's test case with the real driver, and the hand edits done with ovn-nbctl."""
from services.network.ovn import driver, idl, rows
from tests.functional.network import ovn
from tests.unit.services.network import nb_base


class RealNorthboundTestCase(nb_base.NorthboundTestCase):
    def make_driver(self) -> driver.OvnDriver:
        self.nb = ovn.Northbound()
        self.addCleanup(self.nb.cleanup)
        self.nb.start()
        return idl.IdlDriver(self.nb.nb_remote, 10)

    def nbctl_list(self, table: str, column: str = "name") -> list[str]:
        return self.nb.nbctl("--bare", f"--columns={column}", "list", table).split()

    def delete_by_hand(self, table: str, key: str) -> None:
        row = self.driver.read().rows[(table, key)]
        if row.parent is None:
            self.nb.nbctl("destroy", table, str(row.uuid))
        else:  # a child goes with the last strong reference to it
            parent_table, column = rows.PARENT_COLUMN[table]
            self.nb.nbctl("remove", parent_table, row.parent, column, str(row.uuid))
        self.wait_until(lambda: (table, key) not in self.driver.read().rows,
                        message=f"{table} {key} gone from the replica")

    def set_port_up(self, port_id: str, up: bool) -> None:
        self.nb.nbctl("set", "Logical_Switch_Port", port_id, f"up={str(up).lower()}")
        self.wait_until(lambda: self.driver.ports_up({port_id}) == {port_id: up},
                        message=f"port {port_id} up={up} in the replica")
