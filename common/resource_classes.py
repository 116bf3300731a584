"""Placement resource class names, shared by the compute agent (which reports
inventories) and the control plane (which claims them). No database here."""
VCPU = "VCPU"
MEMORY_MB = "MEMORY_MB"
DISK_GB = "DISK_GB"
ALL = (VCPU, MEMORY_MB, DISK_GB)
