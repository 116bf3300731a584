"""Column types that behave the same on SQLite, PostgreSQL and MariaDB."""
import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import mysql

# MariaDB's DATETIME drops sub-seconds unless asked for them; heartbeats and
# changes-since filters need them.
Timestamp = sa.DateTime().with_variant(mysql.DATETIME(fsp=6), "mysql", "mariadb")


def utcnow() -> datetime.datetime:
    """Naive UTC now: every timestamp column stores naive UTC."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
