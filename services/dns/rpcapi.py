"""Client side of the dns agent's RPC API."""
TOPIC = "dns"
