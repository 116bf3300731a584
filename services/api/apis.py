"""The APIs the app serves, and which one a path belongs to."""
from collections.abc import Callable, Sequence

from common.config import CONF
from services.api import compute, dns, identity, image, network
from services.api.spec import APISpec

ALL = (identity.API, compute.API, network.API, image.API, dns.API)


def enabled() -> list[APISpec]:
    """Every API, less the built-in identity when an external Keystone issues tokens."""
    if CONF.identity.external_keystone_url:
        return [api for api in ALL if api is not identity.API]
    return list(ALL)


def finder(apis: Sequence[APISpec]) -> Callable[[str], APISpec | None]:
    """A function from a request path to the API whose prefix it falls under."""
    by_segment = {api.prefix.strip("/"): api for api in apis}

    def find(path: str) -> APISpec | None:
        return by_segment.get(path.lstrip("/").split("/", 1)[0])

    return find
