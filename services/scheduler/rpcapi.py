"""Client side of the scheduler's RPC API."""
TOPIC = "scheduler"
