"""Migrations build exactly the models' schema on SQLite, PostgreSQL and MariaDB."""
import os

from alembic import autogenerate
from alembic.runtime import migration as alembic_migration

from common.db import migration, models, session
from tests.functional import fixtures
from tests.unit import base


class MigrationsMixin:
    """Runs against a fresh database made by ``database_url()``."""

    def database_url(self) -> str:
        raise NotImplementedError

    def setUp(self) -> None:
        super().setUp()
        self.engine = session.create_engine(self.database_url())
        self.addCleanup(self.engine.dispose)  # before the database is dropped

    def schema_differences(self) -> list:
        with self.engine.connect() as connection:
            context = alembic_migration.MigrationContext.configure(
                connection, opts={"compare_type": True})
            return autogenerate.compare_metadata(context, models.Base.metadata)

    def assert_schema_matches_models(self) -> None:
        differences = self.schema_differences()
        if differences:
            self.fail("the migrations do not build the models' schema (add a migration):\n"
                      + "\n".join(str(difference)[:300] for difference in differences))

    def test_sync_builds_the_models_schema(self) -> None:
        migration.sync(self.engine)
        self.assertEqual(sorted(migration.head_revisions()),
                         sorted(migration.current_revisions(self.engine)))
        self.assert_schema_matches_models()

    def test_sync_twice_is_harmless(self) -> None:
        migration.sync(self.engine)
        with self.engine.begin() as connection:
            connection.execute(models.Service.__table__.insert().values(
                uuid="0f1e2d3c-0000-4000-8000-000000000000", host="h1",
                binary="strato-compute", topic="compute", report_count=1, disabled=False,
                forced_down=False, version="1.0", created_at=models.base.utcnow()))
        migration.sync(self.engine)
        self.assert_schema_matches_models()
        with self.engine.connect() as connection:
            hosts = connection.execute(models.Service.__table__.select()).all()
        self.assertEqual(["h1"], [row.host for row in hosts])


class SQLiteMigrationsTest(MigrationsMixin, base.TestCase):
    def database_url(self) -> str:
        return "sqlite:///" + os.path.join(self.state_path, "migrations.sqlite")


class PostgreSQLMigrationsTest(MigrationsMixin, base.TestCase):
    def database_url(self) -> str:
        return fixtures.scratch_database(self, fixtures.POSTGRES_URL)


class MariaDBMigrationsTest(MigrationsMixin, base.TestCase):
    def database_url(self) -> str:
        return fixtures.scratch_database(self, fixtures.MYSQL_URL)
