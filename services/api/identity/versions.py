"""Version discovery of the identity API: /identity (300, every version) and
/identity/v3 (200, this version)."""
import falcon

from services.api import urls

VERSION_ID = "v3.14"
UPDATED = "2020-04-07T00:00:00Z"


def version() -> dict:
    return {"id": VERSION_ID, "status": "stable", "updated": UPDATED,
            "links": [{"rel": "self", "href": urls.url("identity", "v3", "")}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.identity-v3+json"}]}


class Versions:
    public_methods = frozenset({"GET", "HEAD"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.status = 300
        resp.media = {"versions": {"values": [version()]}}

    on_head = on_get


class Version:
    public_methods = frozenset({"GET", "HEAD"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"version": version()}

    on_head = on_get
