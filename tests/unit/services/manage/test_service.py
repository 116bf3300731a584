"""strato-manage service list | disable | enable | delete, called through main(argv)."""
import contextlib
import datetime
import io

from common.config import CONF
from common.db import migration
from common.db.api import services
from common.db.types import utcnow
from services import manage
from tests import tables
from tests.unit import base
from tests.unit.base.network import ADMIN


class ManageServiceTest(base.DatabaseTestCase):
    def manage(self, *argv: str) -> str:
        CONF.clear()  # main() parses CONF itself, as the real command does
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(0, manage.main(["--config-file", self.config_file, *argv]))
        return out.getvalue()

    def rows(self) -> dict[str, dict[str, str]]:
        """``service list`` output as {binary: {header: value}}."""
        return {row["Binary"]: row for row in tables.parse(self.manage("service", "list"))}

    def test_list_shows_up_and_down(self) -> None:
        self.flags(service_down_time=60)
        services.heartbeat(ADMIN, "h1", "strato-compute", "compute", "1.0")
        stale = services.heartbeat(ADMIN, "h1", "strato-dns", "dns", "1.0")
        services.update(ADMIN, stale.uuid, last_seen_at=utcnow() - datetime.timedelta(seconds=120))
        rows = self.rows()
        self.assertEqual("up", rows["strato-compute"]["State"])
        self.assertEqual("down", rows["strato-dns"]["State"])
        self.assertEqual(("h1", "dns", "enabled", stale.uuid),
                         (rows["strato-dns"]["Host"], rows["strato-dns"]["Topic"],
                          rows["strato-dns"]["Status"], rows["strato-dns"]["Id"]))

    def test_list_of_an_empty_registry_prints_headers(self) -> None:
        self.assertEqual("Id  Binary  Host  Topic  Status  State  Last Heartbeat  Version",
                         self.manage("service", "list").strip())

    def test_disable_enable_delete(self) -> None:
        service = services.heartbeat(ADMIN, "h1", "strato-compute", "compute", "1.0")
        self.manage("service", "disable", service.uuid, "--reason", "maintenance")
        self.assertEqual("disabled", self.rows()["strato-compute"]["Status"])
        self.manage("service", "enable", service.uuid)
        self.assertEqual("enabled", self.rows()["strato-compute"]["Status"])
        self.manage("service", "delete", service.uuid)
        self.assertEqual({}, self.rows())

    def test_db_version_prints_the_heads(self) -> None:
        printed = self.manage("db", "version").strip().split(", ")
        self.assertEqual(sorted(migration.head_revisions()), sorted(printed))
