"""The compute agent's VIF plugging against a real Open_vSwitch ovsdb-server (no
ovs-vswitchd: the taps do not exist, as before a guest starts)."""
import os

from common import exceptions
from services.compute import vifs
from tests.functional.fixtures import ovn
from tests.unit import base

PORT = "5d1f0c57-3b1c-4a7e-9a55-0e2b9c3f0a01"
VIF = vifs.Vif(PORT, "fa:16:3e:12:34:56", vifs.tap_name(PORT))


class OvsPluggerTest(base.TestCase):
    def setUp(self) -> None:
        super().setUp()
        self.switch = ovn.Switch()
        self.addCleanup(self.switch.cleanup)
        self.switch.start()
        self.switch.vsctl("--no-wait", "add-br", "br-test")
        self.flags("compute", ovsdb_connection=self.switch.remote,
                   integration_bridge="br-test")
        self.plugger = self.make_plugger()

    def make_plugger(self) -> vifs.OvsPlugger:
        plugger = vifs.OvsPlugger()
        self.addCleanup(plugger.close)
        return plugger

    def ports(self) -> list[str]:
        return self.switch.ports("br-test")

    def test_plug_is_idempotent_and_refreshes_external_ids(self) -> None:
        self.assertEqual("tap5d1f0c57-3b", VIF.device)
        self.plugger.plug("vm-1", [VIF])
        self.plugger.plug("vm-2", [VIF])
        self.assertEqual(["tap5d1f0c57-3b"], self.ports())
        self.assertEqual({"iface-id": PORT, "attached-mac": "fa:16:3e:12:34:56",
                          "vm-uuid": "vm-2", "iface-status": "active"},
                         self.switch.external_ids("tap5d1f0c57-3b"))

    def test_unplug_is_idempotent_and_leaves_other_ports(self) -> None:
        self.switch.vsctl("--no-wait", "add-port", "br-test", "other")
        self.plugger.plug("vm-1", [VIF])
        self.plugger.unplug("vm-1", [VIF])
        self.plugger.unplug("vm-1", [VIF])
        self.assertEqual(["other"], self.ports())

    def test_no_vifs_needs_no_ovs(self) -> None:
        self.flags("compute", ovsdb_connection="unix:/nonexistent/db.sock")
        plugger = self.make_plugger()
        plugger.plug("vm-1", [])
        plugger.unplug("vm-1", [])

    def test_missing_bridge_or_ovsdb_is_a_plug_error(self) -> None:
        self.flags("compute", integration_bridge="br-missing")
        with self.assertRaisesRegex(exceptions.VifPlugError, "no bridge br-missing"):
            self.make_plugger().plug("vm-1", [VIF])
        self.assertEqual([], self.ports())
        socket = os.path.join(self.state_path, "nothing.sock")
        self.flags("compute", ovsdb_connection=f"unix:{socket}")
        with self.assertRaisesRegex(exceptions.VifPlugError, "plug the NICs of instance vm-1"):
            self.make_plugger().plug("vm-1", [VIF])
