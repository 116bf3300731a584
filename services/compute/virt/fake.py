"""The fake driver: guests in memory, for tests and scale runs.

Each driver object is one host's hypervisor, so one process can serve many fake hosts.
Tests steer it with ``fail_spawn`` (True, or a set of instance uuids) and
``spawn_delay`` (seconds a spawn takes).
"""
import threading
import time

from common import exceptions
from common.compute_states import PowerState
from common.config import CONF
from services.compute.virt import driver

_CONSOLE_MARKER = "STRATO-FAKE-READY"


class FakeGuest:
    def __init__(self, instance: dict, network_info: list | None = None) -> None:
        self.uuid = instance["uuid"]
        self.flavor = dict(instance["flavor"])
        self.network_info = list(network_info or [])  # the VIFs it was plugged with
        self.state = PowerState.RUNNING
        # A few lines, like a real boot log (API clients tail it by line count).
        self.console = [f"fake guest {instance.get('instance_name', self.uuid)} booting",
                        "fake kernel: started", "fake init: started",
                        f"fake guest {instance.get('instance_name', self.uuid)} booted",
                        _CONSOLE_MARKER]


class FakeDriver(driver.ComputeDriver):
    def __init__(self) -> None:
        self.guests: dict[str, FakeGuest] = {}
        self.kept_for_revert: dict[str, FakeGuest] = {}
        self.fail_spawn: bool | set[str] = False
        self.spawn_delay = 0.0
        self.host = ""
        self._lock = threading.Lock()

    def init_host(self, host: str) -> None:
        self.host = host

    def _guest(self, instance: dict) -> FakeGuest:
        guest = self.guests.get(instance["uuid"])
        if guest is None:
            raise exceptions.InstanceNotFound(instance_id=instance["uuid"])
        return guest

    def spawn(self, instance: dict, image_meta: dict, network_info: list | None = None,
              admin_password: str | None = None) -> None:
        if self.spawn_delay:
            time.sleep(self.spawn_delay)
        failing = self.fail_spawn
        if failing is True or (isinstance(failing, set) and instance["uuid"] in failing):
            raise exceptions.HypervisorError(instance_uuid=instance["uuid"],
                                             reason=f"fake spawn failure on {self.host}")
        with self._lock:
            self.guests[instance["uuid"]] = FakeGuest(instance, network_info)

    def destroy(self, instance: dict, destroy_disks: bool = True) -> None:
        with self._lock:
            self.guests.pop(instance["uuid"], None)

    def power_off(self, instance: dict, timeout: int = 0) -> None:
        self._guest(instance).state = PowerState.SHUTDOWN

    def power_on(self, instance: dict) -> None:
        self._guest(instance).state = PowerState.RUNNING

    def reboot(self, instance: dict, reboot_type: str, timeout: int = 0) -> None:
        guest = self._guest(instance)
        guest.state = PowerState.RUNNING
        guest.console.append(f"rebooted ({reboot_type})")

    def pause(self, instance: dict) -> None:
        self._guest(instance).state = PowerState.PAUSED

    def unpause(self, instance: dict) -> None:
        self._guest(instance).state = PowerState.RUNNING

    def suspend(self, instance: dict) -> None:
        self._guest(instance).state = PowerState.SUSPENDED

    def resume(self, instance: dict) -> None:
        self._guest(instance).state = PowerState.RUNNING

    def snapshot(self, instance: dict, target: str, disk_format: str) -> None:
        self._guest(instance)
        with open(target, "wb") as f:
            f.write(b"fake snapshot of " + instance["uuid"].encode())

    def get_console_output(self, instance: dict) -> str:
        return "\n".join(self._guest(instance).console) + "\n"

    def get_info(self, instance: dict) -> driver.InstanceInfo:
        guest = self.guests.get(instance["uuid"])
        if guest is None:
            return driver.NOT_FOUND
        return driver.InstanceInfo(state=guest.state,
                                   max_mem_kb=guest.flavor["memory_mb"] * 1024,
                                   mem_kb=guest.flavor["memory_mb"] * 1024,
                                   num_cpu=guest.flavor["vcpus"])

    def list_instances(self) -> list[str]:
        return list(self.guests)

    def get_available_resources(self) -> driver.HostResources:
        return driver.HostResources(vcpus=CONF.compute.fake_vcpus,
                                    memory_mb=CONF.compute.fake_memory_mb,
                                    local_gb=CONF.compute.fake_disk_gb,
                                    hypervisor_type="fake", hypervisor_version=1000,
                                    hypervisor_hostname=self.host, cpu_arch="x86_64")

    def migrate_disk_and_power_off(self, instance: dict, dest_host: str, flavor: dict,
                                   timeout: int = 0) -> dict:
        guest = self._guest(instance)
        guest.state = PowerState.SHUTDOWN
        self.kept_for_revert[instance["uuid"]] = guest
        return {"source": self.host}

    def finish_migration(self, instance: dict, disk_info: dict, image_meta: dict,
                         power_on: bool) -> None:
        guest = FakeGuest(instance)
        guest.state = PowerState.RUNNING if power_on else PowerState.SHUTDOWN
        with self._lock:
            self.guests[instance["uuid"]] = guest

    def confirm_migration(self, instance: dict, same_host: bool) -> None:
        with self._lock:
            self.kept_for_revert.pop(instance["uuid"], None)
            if not same_host:
                self.guests.pop(instance["uuid"], None)

    def finish_revert_migration(self, instance: dict, image_meta: dict,
                                power_on: bool) -> None:
        with self._lock:
            guest = self.kept_for_revert.pop(instance["uuid"], None) or FakeGuest(instance)
            guest.flavor = dict(instance["flavor"])
            guest.state = PowerState.RUNNING if power_on else PowerState.SHUTDOWN
            self.guests[instance["uuid"]] = guest
