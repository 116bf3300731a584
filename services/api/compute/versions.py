"""Version discovery of the compute API and its microversion range."""
import falcon

from services.api import urls

MIN_VERSION = "2.1"
# The highest microversion every compute resource implements exactly; raise it only
# together with the views of that microversion (Tempest checks each field set).
MAX_VERSION = "2.68"
UPDATED = "2013-07-23T11:33:21Z"


def version() -> dict:
    return {"id": "v2.1", "status": "CURRENT", "version": MAX_VERSION,
            "min_version": MIN_VERSION, "updated": UPDATED,
            "links": [{"rel": "self", "href": urls.url("compute", "v2.1", "")},
                      {"rel": "describedby", "type": "text/html",
                       "href": "https://docs.openstack.org/"}],
            "media-types": [{"base": "application/json",
                             "type": "application/vnd.openstack.compute+json;version=2.1"}]}


class Versions:
    public_methods = frozenset({"GET", "HEAD"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"versions": [version()]}

    on_head = on_get


class Version:
    public_methods = frozenset({"GET", "HEAD"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"version": version()}

    on_head = on_get
