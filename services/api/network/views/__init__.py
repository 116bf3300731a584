"""Response bodies of the network API."""
