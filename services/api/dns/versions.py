"""Version discovery of the DNS API: v2 SUPPORTED and v2.0 CURRENT (designate-tempest-
plugin picks the highest CURRENT vX.Y, and an id without a minor crashes it)."""
import falcon

from services.api import urls


class Versions:
    public_methods = frozenset({"GET", "HEAD"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        link = [{"rel": "self", "href": urls.url("dns", "v2")}]
        resp.media = {"versions": [{"id": "v2", "status": "SUPPORTED", "links": link},
                                   {"id": "v2.0", "status": "CURRENT", "links": link}]}

    on_head = on_get
