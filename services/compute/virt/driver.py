"""The interface between the compute manager and a hypervisor.

Every method takes the instance as the dict the conductor returns
(compute_instances.to_dict) and is idempotent where a retry can reach it: destroying
a guest that is gone, powering off one that is off, are not errors.
"""
import abc
import dataclasses

from common.compute_states import PowerState


@dataclasses.dataclass
class InstanceInfo:
    state: int  # a PowerState value
    max_mem_kb: int = 0
    mem_kb: int = 0
    num_cpu: int = 0
    cpu_time_ns: int = 0


@dataclasses.dataclass
class HostResources:
    """What the host has; the agent turns it into inventories with its config."""

    vcpus: int
    memory_mb: int
    local_gb: int
    hypervisor_type: str
    hypervisor_version: int
    hypervisor_hostname: str
    cpu_arch: str
    vm_modes: tuple[str, ...] = ("hvm",)
    host_ip: str = ""  # where other hosts reach this one (os-hypervisors host_ip)

    def node(self) -> dict:
        """The compute node description the conductor records (os-hypervisors)."""
        return {"hypervisor_hostname": self.hypervisor_hostname,
                "hypervisor_type": self.hypervisor_type,
                "hypervisor_version": self.hypervisor_version,
                "cpu_info": {"arch": self.cpu_arch}, "vcpus": self.vcpus,
                "memory_mb": self.memory_mb, "local_gb": self.local_gb,
                "host_ip": self.host_ip or None}

    def traits(self) -> list[str]:
        """The traits the scheduler's image property checks look for."""
        return sorted({f"HW_ARCH_{self.cpu_arch.upper()}",
                       f"CUSTOM_HYPERVISOR_{self.hypervisor_type.upper()}",
                       *(f"CUSTOM_VM_MODE_{mode.upper()}" for mode in self.vm_modes)})


NOT_FOUND = InstanceInfo(state=PowerState.NOSTATE)


class ComputeDriver(abc.ABC):
    def init_host(self, host: str) -> None:  # noqa: B027 - optional hook
        """Called once when the agent starts."""

    def cleanup_host(self) -> None:  # noqa: B027 - optional hook
        """Called once when the agent stops."""

    @abc.abstractmethod
    def spawn(self, instance: dict, image_meta: dict, network_info: list | None = None,
              admin_password: str | None = None) -> None:
        """Create the guest's disks and start it; on error leave nothing behind."""

    @abc.abstractmethod
    def destroy(self, instance: dict, destroy_disks: bool = True) -> None:
        """Stop the guest hard and remove it (and its disks)."""

    @abc.abstractmethod
    def power_off(self, instance: dict, timeout: int = 0) -> None:
        """Clean shutdown waiting up to ``timeout`` seconds, then hard power off."""

    @abc.abstractmethod
    def power_on(self, instance: dict) -> None: ...

    @abc.abstractmethod
    def reboot(self, instance: dict, reboot_type: str, timeout: int = 0) -> None:
        """SOFT: clean shutdown then start (hard if it does not stop); HARD: reset."""

    @abc.abstractmethod
    def pause(self, instance: dict) -> None: ...

    @abc.abstractmethod
    def unpause(self, instance: dict) -> None: ...

    @abc.abstractmethod
    def suspend(self, instance: dict) -> None:
        """Save the guest's memory to disk and stop it."""

    @abc.abstractmethod
    def resume(self, instance: dict) -> None: ...

    @abc.abstractmethod
    def snapshot(self, instance: dict, target: str, disk_format: str) -> None:
        """Write the guest's root disk as a standalone image file at ``target``."""

    @abc.abstractmethod
    def get_console_output(self, instance: dict) -> str: ...

    @abc.abstractmethod
    def get_info(self, instance: dict) -> InstanceInfo:
        """Power state and stats; state NOSTATE when the guest does not exist."""

    @abc.abstractmethod
    def list_instances(self) -> list[str]:
        """Uuids of the guests this driver runs for Strato (reaping compares them)."""

    @abc.abstractmethod
    def get_available_resources(self) -> HostResources: ...

    # --- resize (the manager runs these on the source, then the dest host) ---

    @abc.abstractmethod
    def migrate_disk_and_power_off(self, instance: dict, dest_host: str,
                                   flavor: dict, timeout: int = 0) -> dict:
        """Power off and set the disks aside for the dest host; return disk info."""

    @abc.abstractmethod
    def finish_migration(self, instance: dict, disk_info: dict, image_meta: dict,
                         power_on: bool) -> None:
        """On the dest host: the guest with ``instance['flavor']`` from the disks."""

    @abc.abstractmethod
    def confirm_migration(self, instance: dict, same_host: bool) -> None:
        """On the source host: drop what was kept for a revert (and the old guest when
        the instance moved to another host)."""

    @abc.abstractmethod
    def finish_revert_migration(self, instance: dict, image_meta: dict,
                                power_on: bool) -> None:
        """On the source host: the guest as it was before the resize (the dest host
        already destroyed its copy when it was another host)."""


    # --- live migration (pre and post at the destination, the rest at the source) ---

    @abc.abstractmethod
    def pre_live_migration(self, instance: dict, image_meta: dict, network_info: list,
                           block_migration: bool) -> dict:
        """On the destination: what the guest needs here before it arrives (disks to
        copy into, its files, its NICs plugged); the migrate data the source's
        ``live_migration`` gets."""

    @abc.abstractmethod
    def live_migration(self, instance: dict, migrate_data: dict,
                       block_migration: bool) -> None:
        """On the source: move the running guest; returns once it runs at the
        destination. On failure (or an abort) the guest still runs here."""

    @abc.abstractmethod
    def live_migration_abort(self, instance: dict) -> None:
        """Cancel the running migration of ``instance`` (from another thread)."""

    @abc.abstractmethod
    def live_migration_force_complete(self, instance: dict) -> None:
        """Make a migration that does not converge finish (pause the guest)."""

    @abc.abstractmethod
    def post_live_migration_at_source(self, instance: dict) -> None:
        """On the source, the guest gone: drop its NICs and local files."""

    @abc.abstractmethod
    def post_live_migration_at_destination(self, instance: dict) -> None:
        """On the destination, the guest arrived: make sure its NICs are plugged."""

    @abc.abstractmethod
    def rollback_live_migration_at_destination(self, instance: dict) -> None:
        """On the destination of a failed migration: drop what was prepared."""
