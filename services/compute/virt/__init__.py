"""Virt drivers: how the compute agent runs guests (libvirt, or in memory)."""
