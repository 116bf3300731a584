"""The fake driver: guests in memory, for tests and scale runs.

Each driver object is one host's hypervisor, so one process can serve many fake hosts.
Tests steer it with ``fail_spawn`` (True, or a set of instance uuids),
``spawn_delay`` (seconds a spawn takes), ``fail_live_migration`` and
``live_migration_delay`` (seconds a live migration takes; an abort cuts it short).
With ``[compute] fake_keep_guests`` the guests are saved to a file after every change
and loaded at start, so an agent killed and started again finds them running, as it
would find libvirt's.
"""
import json
import os
import threading
import time

from common import exceptions
from common.compute_states import PowerState
from common.config import CONF
from services.compute.virt import driver

_CONSOLE_MARKER = "STRATO-FAKE-READY"


class FakeGuest:
    def __init__(self, instance: dict, network_info: list | None = None,
                 state: int = PowerState.RUNNING) -> None:
        self.uuid = instance["uuid"]
        self.flavor = dict(instance["flavor"])
        self.network_info = list(network_info or [])  # the VIFs it was plugged with
        self.state = state
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
        self.fail_live_migration = False
        self.live_migration_delay = 0.0
        self.host = ""
        self._lock = threading.Lock()
        self._aborts: dict[str, threading.Event] = {}  # set: abort (or force complete)
        self._forced: set[str] = set()

    def init_host(self, host: str) -> None:
        self.host = host
        if CONF.compute.fake_keep_guests:
            self._load()

    # -- the guests file (fake_keep_guests) --

    def _path(self) -> str:
        return os.path.join(CONF.state_path, f"fake-guests-{self.host}.json")

    def _load(self) -> None:
        try:
            with open(self._path()) as f:
                saved = json.load(f)
        except FileNotFoundError:
            return
        with self._lock:
            self.guests = {uuid: FakeGuest({"uuid": uuid, "flavor": guest["flavor"]},
                                           guest["network_info"], guest["state"])
                           for uuid, guest in saved.items()}

    def _save(self) -> None:
        """Write the guests atomically (rename), as they are now. Call with the lock."""
        if not CONF.compute.fake_keep_guests:
            return
        saved = {uuid: {"flavor": g.flavor, "network_info": g.network_info,
                        "state": g.state} for uuid, g in self.guests.items()}
        path = self._path()
        with open(path + ".tmp", "w") as f:
            json.dump(saved, f)
        os.replace(path + ".tmp", path)

    def _set_state(self, instance: dict, state: int) -> FakeGuest:
        with self._lock:
            guest = self._guest(instance)
            guest.state = state
            self._save()
        return guest

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
            self._save()

    def destroy(self, instance: dict, destroy_disks: bool = True) -> None:
        with self._lock:
            self.guests.pop(instance["uuid"], None)
            self._save()

    def power_off(self, instance: dict, timeout: int = 0) -> None:
        self._set_state(instance, PowerState.SHUTDOWN)

    def power_on(self, instance: dict) -> None:
        self._set_state(instance, PowerState.RUNNING)

    def reboot(self, instance: dict, reboot_type: str, timeout: int = 0) -> None:
        self._set_state(instance, PowerState.RUNNING).console.append(
            f"rebooted ({reboot_type})")

    def pause(self, instance: dict) -> None:
        self._set_state(instance, PowerState.PAUSED)

    def unpause(self, instance: dict) -> None:
        self._set_state(instance, PowerState.RUNNING)

    def suspend(self, instance: dict) -> None:
        self._set_state(instance, PowerState.SUSPENDED)

    def resume(self, instance: dict) -> None:
        self._set_state(instance, PowerState.RUNNING)

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
        self.kept_for_revert[instance["uuid"]] = self._set_state(instance,
                                                                 PowerState.SHUTDOWN)
        return {"source": self.host}

    def finish_migration(self, instance: dict, disk_info: dict, image_meta: dict,
                         power_on: bool) -> None:
        state = PowerState.RUNNING if power_on else PowerState.SHUTDOWN
        with self._lock:
            self.guests[instance["uuid"]] = FakeGuest(instance, state=state)
            self._save()

    def confirm_migration(self, instance: dict, same_host: bool) -> None:
        with self._lock:
            self.kept_for_revert.pop(instance["uuid"], None)
            if not same_host:
                self.guests.pop(instance["uuid"], None)
                self._save()

    def finish_revert_migration(self, instance: dict, image_meta: dict,
                                power_on: bool) -> None:
        with self._lock:
            guest = self.kept_for_revert.pop(instance["uuid"], None) or FakeGuest(instance)
            guest.flavor = dict(instance["flavor"])
            guest.state = PowerState.RUNNING if power_on else PowerState.SHUTDOWN
            self.guests[instance["uuid"]] = guest
            self._save()

    # --- live migration: the destination holds a paused copy until the guest arrives ---

    def pre_live_migration(self, instance: dict, image_meta: dict, network_info: list,
                           block_migration: bool) -> dict:
        with self._lock:
            self.guests[instance["uuid"]] = FakeGuest(instance, network_info,
                                                      state=PowerState.PAUSED)
            self._save()
        return {"dest_host": self.host}

    def live_migration(self, instance: dict, migrate_data: dict,
                       block_migration: bool) -> None:
        abort = self._aborts.setdefault(instance["uuid"], threading.Event())
        try:
            woken = abort.wait(self.live_migration_delay)
            if woken and instance["uuid"] not in self._forced:
                raise exceptions.MigrationError(reason="the migration was aborted")
            if self.fail_live_migration:
                raise exceptions.MigrationError(reason="fake live migration failure")
        finally:
            self._aborts.pop(instance["uuid"], None)
            self._forced.discard(instance["uuid"])
        with self._lock:
            self.guests.pop(instance["uuid"], None)
            self._save()

    def live_migration_abort(self, instance: dict) -> None:
        event = self._aborts.get(instance["uuid"])
        if event is not None:
            event.set()

    def live_migration_force_complete(self, instance: dict) -> None:
        event = self._aborts.get(instance["uuid"])
        if event is not None:
            self._forced.add(instance["uuid"])
            event.set()

    def post_live_migration_at_source(self, instance: dict) -> None:
        """Nothing is left on the source: the guest went with the migration."""

    def post_live_migration_at_destination(self, instance: dict) -> None:
        self._set_state(instance, PowerState.RUNNING)

    def rollback_live_migration_at_destination(self, instance: dict) -> None:
        self.destroy(instance)
