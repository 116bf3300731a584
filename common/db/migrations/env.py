"""Alembic environment: runs against the connection handed over by common.db.migration."""
from alembic import context

from common.db import models

config = context.config


def run_migrations() -> None:
    connection = config.attributes["connection"]
    context.configure(connection=connection, target_metadata=models.Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite",
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
