"""Transactions on SQLite: a writer holds the database's write lock from its start; a
reader takes no lock, so it neither waits for a writer nor sees its uncommitted rows."""
import threading

import sqlalchemy as sa

from common.db import models, session
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
