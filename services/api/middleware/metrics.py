"""Prometheus request metrics: a counter per API, method and status, a latency
histogram per API and method.

With several gunicorn workers, prometheus-client's multiprocess mode (enabled by
strato-api before anything imports prometheus_client) sums the workers' samples.
"""
import os
import time

import falcon
import prometheus_client
from prometheus_client import multiprocess

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = prometheus_client.Counter(
    "strato_api_requests", "HTTP requests answered by the api.",
    ["api", "method", "status"])
LATENCY = prometheus_client.Histogram(
    "strato_api_request_duration_seconds", "Time to answer an HTTP request.",
    ["api", "method"], buckets=(.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5))


def api_label(path: str) -> str:
    """The first path segment names the API; unknown ones fold into 'other'."""
    segment = path.strip("/").split("/", 1)[0]
    return segment if segment in _KNOWN else "other"


_KNOWN = {"identity", "compute", "network", "image", "dns", "healthcheck", "metrics"}


class MetricsMiddleware:
    def process_request(self, req: falcon.Request, _resp: falcon.Response) -> None:
        req.context.metrics_started = time.perf_counter()

    def process_response(self, req: falcon.Request, resp: falcon.Response,
                         _resource: object, _req_succeeded: bool) -> None:
        started = getattr(req.context, "metrics_started", None)
        if started is None:
            return
        api = api_label(req.path)
        REQUESTS.labels(api, req.method, str(resp.status_code)).inc()
        LATENCY.labels(api, req.method).observe(time.perf_counter() - started)


class Metrics:
    """GET /metrics in the Prometheus text format (every worker's samples summed)."""

    public_methods = frozenset({"GET"})

    def on_get(self, _req: falcon.Request, resp: falcon.Response) -> None:
        registry = prometheus_client.REGISTRY
        if os.environ.get(MULTIPROC_ENV):
            registry = prometheus_client.CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        resp.content_type = prometheus_client.CONTENT_TYPE_LATEST
        resp.data = prometheus_client.generate_latest(registry)
