"""Schema migrations: ``strato-manage db sync`` creates or upgrades a database to head."""
import os

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime import migration as alembic_migration
from alembic.script import ScriptDirectory

from common.db import session

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return config


def sync(engine: sa.Engine | None = None, revision: str = "heads") -> None:
    """Upgrade the database of ``engine`` (default: the configured one) to ``revision``."""
    engine = engine or session.get_engine()
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revisions(engine: sa.Engine | None = None) -> tuple[str, ...]:
    engine = engine or session.get_engine()
    with engine.connect() as connection:
        return alembic_migration.MigrationContext.configure(connection).get_current_heads()


def head_revisions() -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(_alembic_config()).get_heads())
