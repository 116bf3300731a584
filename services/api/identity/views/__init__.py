"""Response bodies of the identity API, shaped as Keystone's."""
