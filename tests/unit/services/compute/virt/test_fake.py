"""The fake driver's guests file: with [compute] fake_keep_guests a new driver (an agent
started again) finds the guests, their power states and NICs as the last one left them."""
from common.compute_states import PowerState
from services.compute.virt import fake
from tests.unit import base
from tests.unit.base import scheduler as fakes


class KeepGuestsTest(base.TestCase):
    def started(self) -> fake.FakeDriver:
        driver = fake.FakeDriver()
        driver.init_host("a")
        return driver

    def test_a_new_driver_finds_the_guests_of_the_last(self) -> None:
        self.flags("compute", fake_keep_guests=True)
        first = self.started()
        vif = [{"id": "p1", "address": "fa:16:3e:00:00:01"}]
        first.spawn({"uuid": "vm-1", "flavor": fakes.flavor()}, {}, vif)
        first.spawn({"uuid": "vm-2", "flavor": fakes.flavor()}, {})
        first.power_off({"uuid": "vm-2"})
        first.spawn({"uuid": "vm-3", "flavor": fakes.flavor()}, {})
        first.destroy({"uuid": "vm-3"})
        second = self.started()
        self.assertEqual(["vm-1", "vm-2"], sorted(second.list_instances()))
        self.assertEqual((PowerState.RUNNING, PowerState.SHUTDOWN),
                         (second.get_info({"uuid": "vm-1"}).state,
                          second.get_info({"uuid": "vm-2"}).state))
        self.assertEqual(vif, second.guests["vm-1"].network_info)

    def test_off_by_default_guests_live_in_memory(self) -> None:
        first = self.started()
        first.spawn({"uuid": "vm-1", "flavor": fakes.flavor()}, {})
        self.assertEqual([], self.started().list_instances())
