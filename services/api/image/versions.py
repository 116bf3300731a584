"""Version discovery of the image API: 300 with every v2.x, the newest CURRENT."""
import falcon

from services.api import urls

CURRENT_MINOR = 16


def versions() -> list[dict]:
    link = [{"rel": "self", "href": urls.url("image", "v2", "")}]
    return [{"id": f"v2.{minor}", "status": "CURRENT" if minor == CURRENT_MINOR
             else "SUPPORTED", "links": link}
            for minor in range(CURRENT_MINOR, -1, -1)]


class Versions:
    public_methods = frozenset({"GET", "HEAD"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.status = 300
        resp.media = {"versions": versions()}

    on_head = on_get
