"""The compute agent: runs this host's VMs through a virt driver."""
