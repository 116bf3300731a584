"""[database]: the SQL connection of the control services (api, scheduler, conductor).

Agents never read this group: they reach the database through the conductor.
"""
from oslo_config import cfg

GROUP = "database"

OPTS = [
    cfg.StrOpt("connection", default="sqlite:///$state_path/strato.sqlite", secret=True,
               help="SQLAlchemy URL, e.g. sqlite:////var/lib/strato/strato.sqlite, "
                    "postgresql+psycopg2://user@127.0.0.1/strato or "
                    "mysql+pymysql://root@127.0.0.1/strato."),
    cfg.IntOpt("max_pool_size", default=10, min=1,
               help="Connections kept open per process (PostgreSQL and MariaDB)."),
    cfg.IntOpt("pool_timeout", default=30, min=1,
               help="Seconds to wait for a free pooled connection."),
    cfg.BoolOpt("connection_debug", default=False,
                help="Log every SQL statement."),
]
