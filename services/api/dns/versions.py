"""Version discovery of the DNS API: v2 SUPPORTED, v2.0 to v2.4 CURRENT, all at /dns/v2.

designate-tempest-plugin takes the highest CURRENT vX.Y for the features the cloud has
(2.1 zone shares, 2.2 SVCB/HTTPS records, 2.3 zone imports, 2.4 TLSA records) and crashes
on a CURRENT id without a minor; keystoneauth (python-designateclient) picks the highest
2.x and follows its link, which is the same /dns/v2 for every minor.
"""
import falcon

from services.api import urls

MINORS = range(5)  # v2.0 ... v2.4


class Versions:
    public_methods = frozenset({"GET", "HEAD"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        link = [{"rel": "self", "href": urls.url("dns", "v2")}]
        versions = [{"id": "v2", "status": "SUPPORTED", "links": link}]
        versions += [{"id": f"v2.{minor}", "status": "CURRENT", "links": link}
                     for minor in MINORS]
        resp.media = {"versions": versions}

    on_head = on_get
