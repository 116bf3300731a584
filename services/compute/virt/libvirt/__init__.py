"""The libvirt driver: QEMU/KVM guests with qcow2 overlays, serial console logs and
OVS-plugged NICs."""
