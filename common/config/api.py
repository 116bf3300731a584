"""[api]: the REST front door served by gunicorn."""
from oslo_config import cfg

GROUP = "api"

OPTS = [
    cfg.HostAddressOpt("bind_host", default="127.0.0.1", help="Address the API listens on."),
    cfg.PortOpt("bind_port", default=8774, help="Port the API listens on."),
    cfg.IntOpt("workers", default=2, min=1, help="gunicorn worker processes."),
    cfg.IntOpt("worker_threads", default=4, min=1,
               help="Threads per gunicorn worker (gthread worker class)."),
    cfg.IntOpt("keepalive_timeout", default=75, min=1,
               help="Seconds an idle keep-alive connection stays open. Longer than any "
                    "client's poll interval: the openstack CLI's --wait polls every 2 s, "
                    "and a server that closes at the same moment aborts that request."),
    cfg.StrOpt("public_url", default="http://127.0.0.1:8774",
               help="Base URL clients use to reach the API; the service catalog and "
                    "version documents are built from it."),
    cfg.IntOpt("max_request_body_size", default=114688, min=1024,
               help="Largest accepted JSON request body in bytes; larger gets 413. "
                    "Image uploads are streamed and not limited by this."),
    cfg.ListOpt("cors_allowed_origins", default=[],
                help="Origins allowed to call the API from a browser (dashboards). "
                     "Empty disables CORS."),
    cfg.IntOpt("max_limit", default=1000, min=1,
               help="Largest page a list returns, whatever 'limit' asks for."),
    cfg.StrOpt("metrics_dir", default="$state_path/prometheus",
               help="Directory where gunicorn workers keep their Prometheus samples "
                    "(prometheus-client multiprocess mode), so /metrics sums every "
                    "worker. Emptied when strato-api starts."),
]
