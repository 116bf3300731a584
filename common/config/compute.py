"""[compute]: the compute agent, its resources as the scheduler sees them, its driver and
its Open vSwitch (where guest NICs are plugged).

The allocation ratios and reserved amounts are mutable: the agent re-reads its config
files when they change (checked on every resource report) or on SIGHUP, and reports the
new inventory without a restart.
"""
from oslo_config import cfg

GROUP = "compute"

_RESOURCES = [
    cfg.FloatOpt("cpu_allocation_ratio", default=None, min=0.0, mutable=True,
                 help="Virtual CPUs per physical CPU of this host. Unset: the "
                      "provider keeps its current ratio, initial_cpu_allocation_ratio "
                      "for a new host."),
    cfg.FloatOpt("ram_allocation_ratio", default=None, min=0.0, mutable=True,
                 help="Virtual RAM per physical RAM of this host. Unset: the provider "
                      "keeps its current ratio, initial_ram_allocation_ratio for a new "
                      "host."),
    cfg.FloatOpt("disk_allocation_ratio", default=None, min=0.0, mutable=True,
                 help="Virtual disk per physical disk of this host. Unset: the provider "
                      "keeps its current ratio, initial_disk_allocation_ratio for a new "
                      "host."),
    cfg.FloatOpt("initial_cpu_allocation_ratio", default=4.0, min=0.0, mutable=True,
                 help="CPU allocation ratio of a host seen for the first time."),
    cfg.FloatOpt("initial_ram_allocation_ratio", default=1.0, min=0.0, mutable=True,
                 help="RAM allocation ratio of a host seen for the first time."),
    cfg.FloatOpt("initial_disk_allocation_ratio", default=1.0, min=0.0, mutable=True,
                 help="Disk allocation ratio of a host seen for the first time."),
    cfg.IntOpt("reserved_host_cpus", default=0, min=0, mutable=True,
               help="Host CPUs kept out of the VCPU inventory."),
    cfg.IntOpt("reserved_host_memory_mb", default=512, min=0, mutable=True,
               help="Host RAM in MB kept out of the MEMORY_MB inventory."),
    cfg.IntOpt("reserved_host_disk_mb", default=0, min=0, mutable=True,
               help="Host disk in MB kept out of the DISK_GB inventory (rounded up "
                    "to GB)."),
]

_AGENT = [
    cfg.StrOpt("compute_driver", default="fake", choices=["fake", "libvirt"],
               help="Virt driver of this compute agent."),
    cfg.StrOpt("instances_path", default="$state_path/instances",
               help="Directory of instance disks and console logs."),
    cfg.StrOpt("image_store_path", default="$state_path/images",
               help="Directory the image API stores image files in, one file per image "
                    "id. The agent reads images from there (a single node shares it); "
                    "snapshots are written there too."),
    cfg.StrOpt("default_availability_zone", default="nova",
               help="Availability zone of a host that no aggregate puts in one."),
    cfg.StrOpt("instance_name_template", default="instance-%08x",
               help="Hypervisor name of an instance, from its integer id."),
    cfg.IntOpt("update_resources_interval", default=60, min=1, mutable=True,
               help="Seconds between two inventory reports (each also re-reads the "
                    "config files when they changed)."),
    cfg.IntOpt("sync_power_state_interval", default=600, min=1, mutable=True,
               help="Seconds between two power-state syncs (a guest stopped outside "
                    "Strato goes SHUTOFF)."),
    cfg.IntOpt("running_deleted_instance_poll_interval", default=300, min=1, mutable=True,
               help="Seconds between two sweeps that destroy guests whose instance is "
                    "deleted or belongs to no instance of this host."),
    cfg.IntOpt("shutdown_timeout", default=60, min=0, mutable=True,
               help="Seconds a clean shutdown (stop, soft reboot, delete) waits for the "
                    "guest to power off before forcing it."),
    cfg.BoolOpt("allow_resize_to_same_host", default=True,
                deprecated_group="conductor",
                help="Let a resize land on the instance's own host (Nova's option of "
                     "the same name, which defaults to False; a single-node cloud "
                     "needs True). A cold migration always leaves the host."),
    cfg.IntOpt("resize_confirm_window", default=0, min=0, mutable=True,
               help="Seconds after which a resize or cold migration left in "
                    "VERIFY_RESIZE is confirmed automatically (Nova's option); 0: never."),
    cfg.IntOpt("pre_migration_timeout", default=300, min=1,
               help="Seconds the conductor waits for a live migration's destination to "
                    "get ready (its disks made, the image fetched into its cache)."),
    cfg.IntOpt("live_migration_completion_timeout", default=800, min=0, mutable=True,
               help="Seconds a live migration may run (per GiB of the guest's memory "
                    "and copied disks, as Nova's option) before it is aborted; 0: "
                    "never."),
    cfg.BoolOpt("force_config_drive", default=False,
                help="Attach a config drive to every instance."),
    cfg.StrOpt("snapshot_image_format", default="qcow2", choices=["qcow2", "raw"],
               help="Disk format of snapshots (createImage)."),
    cfg.StrOpt("ovsdb_connection", default="unix:/var/run/openvswitch/db.sock",
               help="OVSDB remote of the local Open vSwitch, where the agent plugs guest "
                    "NICs into the integration bridge."),
    cfg.FloatOpt("ovsdb_timeout", default=10.0, min=1,
                 help="Seconds the agent waits for Open vSwitch to answer a connection "
                      "attempt or a transaction."),
    cfg.StrOpt("integration_bridge", default="br-int",
               help="OVS bridge guest NICs are plugged into, with external_ids:iface-id "
                    "set to their port id so that ovn-controller binds them."),
    cfg.ListOpt("fake_hosts", default=[],
                help="fake driver only: serve these extra host names from this one "
                     "process, each with its own RPC server, heartbeat and inventory "
                     "(scale tests)."),
    cfg.IntOpt("fake_vcpus", default=16, min=1, help="fake driver: host CPUs."),
    cfg.IntOpt("fake_memory_mb", default=32768, min=1, help="fake driver: host RAM."),
    cfg.IntOpt("fake_disk_gb", default=1000, min=1, help="fake driver: host disk."),
    cfg.BoolOpt("fake_keep_guests", default=False,
                help="fake driver: keep the guests in a file in state_path, so that they "
                     "outlive a restart (or a kill) of the agent as libvirt's domains do."),
]

OPTS = _AGENT + _RESOURCES
