"""Builds the falcon WSGI application: middleware and the routes of every API."""
import falcon


class HealthCheck:
    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = "OK"

    on_head = on_get


def create_app() -> falcon.App:
    app = falcon.App()
    app.add_route("/healthcheck", HealthCheck())
    return app
