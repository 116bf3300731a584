"""Entry-point helper: config, logging, then serve one service until SIGTERM."""
import sys
from collections.abc import Callable, Sequence

from oslo_log import log as logging

from common import config, db_access
from common.service import Reporter, Service, serve


def main(binary: str, topic: str, make_manager: Callable, make_reporter: Callable[[], Reporter],
         argv: Sequence[str] | None = None, agent: bool = False) -> None:
    """Parse config, set up logging, build the manager and serve it on ``topic``. An
    ``agent`` process may not open a database: it goes through the conductor."""
    if agent:
        db_access.forbid(binary)
    conf = config.parse_args(sys.argv[1:] if argv is None else argv)
    logging.setup(conf, "strato")
    serve(Service(binary, topic, make_manager(conf.host), make_reporter()))
