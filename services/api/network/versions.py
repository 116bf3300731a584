"""Version discovery of the network API (the SDK skips it; Tempest lists it): the
version list at /network and the resource list of v2.0."""
import falcon

from services.api import urls

# (resource name, URL collection) listed by GET /network/v2.0.
COLLECTIONS = (("network", "networks"), ("subnet", "subnets"), ("port", "ports"),
               ("router", "routers"), ("floatingip", "floatingips"),
               ("security_group", "security-groups"),
               ("security_group_rule", "security-group-rules"), ("quota", "quotas"))


class Versions:
    public_methods = frozenset({"GET", "HEAD"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"versions": [{"id": "v2.0", "status": "CURRENT", "links": [
            {"rel": "self", "href": urls.url("network", "v2.0", "")}]}]}

    on_head = on_get


class Version:
    public_methods = frozenset({"GET", "HEAD"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"resources": [
            {"name": name, "collection": collection,
             "links": [{"rel": "self", "href": urls.url("network", "v2.0", collection)}]}
            for name, collection in COLLECTIONS]}

    on_head = on_get
