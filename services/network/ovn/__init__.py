"""The OVN backend of the network agent (northbound reads and writes)."""
