"""Response bodies of the compute API, shaped by the requested microversion."""
