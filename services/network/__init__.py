"""The network agent: realizes networks, ports and routers in OVN northbound."""
