"""Token handling of the api: Fernet keys and tokens, revocation, and the validator that
turns an X-Auth-Token into a RequestContext (built-in identity or external Keystone)."""
