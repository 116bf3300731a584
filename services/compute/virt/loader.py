"""Picks the compute driver named by configuration; beside the drivers, so that the
interface in driver.py never imports its own implementations."""
from services.compute.virt.driver import ComputeDriver


def load(name: str) -> ComputeDriver:
    """The driver named by ``[compute] compute_driver``."""
    if name == "fake":
        from services.compute.virt import fake
        return fake.FakeDriver()
    if name == "libvirt":
        from services.compute.virt.libvirt import driver
        return driver.LibvirtDriver()
    raise ValueError(f"unknown compute driver {name}")
