"""Client side of the network agent's RPC API."""
TOPIC = "network"
