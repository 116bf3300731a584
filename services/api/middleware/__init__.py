"""falcon middleware of the api: request id, limits, authentication, metrics."""
