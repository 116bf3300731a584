"""The DNS agent: applies zones and records to the DNS backends."""
