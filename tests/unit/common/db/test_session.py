"""Transactions on SQLite: a writer holds the database's write lock from its start; a
reader takes no lock, so it neither waits for a writer nor sees its uncommitted rows.
Nested transactions join the thread's outer one; nothing goes on the bus while one is
open; an agent's process opens no database at all."""
import threading
import time

import sqlalchemy as sa

from common import context, db_access, exceptions, launch, rpc
from common.config import CONF
from common.db import models, session
from common.manager import Manager
from services.compute import cmd as compute_cmd
from tests.unit import base


class SessionTest(base.DatabaseTestCase):
    def test_a_reader_does_not_wait_for_a_writer(self) -> None:
        held, release = threading.Event(), threading.Event()

        def writer() -> None:
            with session.transaction() as s:
                s.add(models.NetworkQuota(project_id="p1", resource="port", hard_limit=5))
                s.flush()
                held.set()
                release.wait(10)

        thread = threading.Thread(target=writer)
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(release.set)
        self.assertTrue(held.wait(10))
        with session.reader() as s:
            # Would time out on the writer's lock (busy_timeout) if it took one.
            self.assertEqual([], list(s.scalars(sa.select(models.NetworkQuota.project_id))))
        release.set()
        thread.join()
        with session.reader() as s:
            self.assertEqual(["p1"], list(s.scalars(sa.select(models.NetworkQuota.project_id))))

    def quotas(self) -> list[str]:
        with session.reader() as s:
            return sorted(s.scalars(sa.select(models.NetworkQuota.project_id)))

    def add_quota(self, project_id: str) -> None:
        with session.transaction() as s:
            s.add(models.NetworkQuota(project_id=project_id, resource="port", hard_limit=5))

    def test_a_nested_transaction_joins_the_outer_one(self) -> None:
        # Two connections of one thread would wait busy_timeout (30 s) on each other.
        started = time.monotonic()
        with session.transaction():
            self.add_quota("inner")
            self.assertEqual(["inner"], self.quotas())  # the reader joins as well
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(["inner"], self.quotas())

    def test_a_failed_nested_transaction_undoes_only_its_own_work(self) -> None:
        with session.transaction() as s:
            s.add(models.NetworkQuota(project_id="outer", resource="port", hard_limit=5))
            with self.assertRaises(ValueError), session.transaction() as inner:
                inner.add(models.NetworkQuota(project_id="inner", resource="port",
                                              hard_limit=5))
                inner.flush()
                raise ValueError("undo me")
        self.assertEqual(["outer"], self.quotas())

    def test_a_failed_outer_transaction_undoes_the_nested_work(self) -> None:
        with self.assertRaises(ValueError), session.transaction():
            self.add_quota("inner")
            raise ValueError("undo all")
        self.assertEqual([], self.quotas())

    def test_no_writer_inside_a_reader(self) -> None:
        with session.reader(), self.assertRaises(exceptions.StratoError):
            self.add_quota("p1")
        self.assertEqual([], self.quotas())

    def test_no_message_on_the_bus_inside_a_transaction(self) -> None:
        client = rpc.get_client("nobody", "1.0", timeout=1)
        with session.transaction(), self.assertRaises(exceptions.RPCInsideTransaction):
            client.cast(context.get_admin_context(), "anything")
        self.assertFalse(db_access.in_transaction())
        client.cast(context.get_admin_context(), "anything")  # after it: fine


class DatabaseNotAllowedTest(base.TestCase):
    def test_an_agent_process_cannot_open_a_database(self) -> None:
        db_access.forbid("strato-network")
        self.addCleanup(db_access.allow)
        with self.assertRaises(exceptions.DatabaseNotAllowed) as raised:
            session.get_engine()
        self.assertIn("strato-network", raised.exception.msg)
        with self.assertRaises(exceptions.DatabaseNotAllowed):
            with session.reader():
                pass

    def test_the_agents_entry_points_forbid_it(self) -> None:
        """Each agent's process forbids the database before anything else runs: the
        manager's init_host, the first code of the service, already cannot open it."""
        self.addCleanup(db_access.allow)

        class OpensTheDatabase(Manager):
            def init_host(self) -> None:
                session.get_engine()

        for binary in ("strato-network", "strato-dns"):
            CONF.clear()  # main parses the command line again
            with self.assertRaises(exceptions.DatabaseNotAllowed):
                launch.main(binary, "unit", OpensTheDatabase, lambda: None,
                            argv=["--config-file", self.config_file], agent=True)
            db_access.allow()
        CONF.clear()
        with self.assertRaises(SystemExit):  # stops at its arguments, after forbidding
            compute_cmd.main(["--no-such-option"])
        self.assertRaises(exceptions.DatabaseNotAllowed, session.get_engine)
