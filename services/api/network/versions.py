"""Version discovery of the network API (the SDK skips it; Tempest lists it)."""
import falcon

from services.api import urls


class Versions:
    public_methods = frozenset({"GET", "HEAD"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"versions": [{"id": "v2.0", "status": "CURRENT", "links": [
            {"rel": "self", "href": urls.url("network", "v2.0", "")}]}]}

    on_head = on_get
