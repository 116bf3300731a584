"""Client side of the compute agent's RPC API."""
TOPIC = "compute"
