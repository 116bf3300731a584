"""Absolute URLs for links and version documents, built from ``[api] public_url``."""
from common.config import CONF


def base() -> str:
    return CONF.api.public_url.rstrip("/")


def url(*parts: str) -> str:
    """``base()`` joined with ``parts``, e.g. url("compute", "v2.1", "")."""
    return "/".join([base(), *(part.strip("/") for part in parts)])
