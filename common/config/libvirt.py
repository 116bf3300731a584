"""[libvirt]: the libvirt virt driver of the compute agent."""
from oslo_config import cfg

GROUP = "libvirt"

OPTS = [
    cfg.StrOpt("virt_type", default="qemu", choices=["qemu", "kvm"],
               help="Domain type: qemu (TCG emulation, works everywhere) or kvm."),
    cfg.StrOpt("connection_uri", default="",
               help="libvirt URI; empty means qemu:///system. test:///default is the "
                    "in-memory test driver (no real guests)."),
    cfg.IntOpt("tb_cache_mb", default=32, min=0,
               help="TCG translation-block cache per guest in MiB (virt_type qemu); "
                    "0 keeps QEMU's default, which costs about 20 MB more RSS."),
    cfg.StrOpt("hw_machine_type", default="pc", help="QEMU machine type of guests."),
    cfg.BoolOpt("disable_vif_offloads", default=True,
                help="Turn checksum/segmentation offloads off on guest NICs. OVS's "
                     "userspace (netdev) datapath never fills in checksums the guest "
                     "offloaded, so TCP and DHCP fail without this."),
    cfg.StrOpt("default_cmdline", default="root=/dev/vda console=ttyS0",
               help="Kernel command line of a direct kernel boot when the image has "
                    "no os_command_line property."),
    cfg.StrOpt("live_migration_inbound_addr", default="",
               help="Address other hosts' libvirtd reach this host's libvirtd and QEMU at "
                    "for migrations into it (its underlay address); empty means [DEFAULT] "
                    "host."),
    cfg.StrOpt("live_migration_scheme", default="tcp", choices=["tcp", "tls", "ssh"],
               help="Transport of the libvirt connection to a migration's destination: "
                    "qemu+<scheme>://<its inbound address>/system."),
    cfg.StrOpt("mkisofs_cmd", default="genisoimage",
               help="Program that builds config drive ISOs (genisoimage or xorrisofs; "
                    "Debian package genisoimage or xorriso)."),
]
