"""Migrations (admins): /os-migrations lists every resize, cold and live migration;
/servers/{id}/migrations (2.22+) lists a server's live migrations in progress, shows
one, forces it to complete (2.22) or aborts it (2.24).

Fields by microversion as Nova's: ``migration_type`` and links from 2.23, ``uuid``,
paging (limit, marker: a migration's uuid) and changes-since from 2.59, changes-before
from 2.66; aborting a queued or preparing live migration from 2.65. The memory and
disk progress of a live migration are not tracked (null).
"""
from typing import Any

import falcon

from common import exceptions, policy
from common.db.api import compute_migrations
from common.db.api.compute_migrations import MigrationRecord
from services.api import body, handlers, urls
from services.api.compute import instance_actions, microversion, server_data
from services.api.compute.microversion import Version
from services.api.compute.views import common
from services.compute import api as compute_api

LIVE = "live-migration"
RUNNING = ("queued", "preparing", "running")
_FORCE_COMPLETE = {"type": "object", "required": ["force_complete"],
                   "additionalProperties": False, "properties": {"force_complete": {}}}


def _common(migration: MigrationRecord, version: microversion.Version) -> dict[str, Any]:
    view = {"id": migration.id, "status": migration.status,
            "source_compute": migration.source_compute,
            "source_node": migration.source_node, "dest_compute": migration.dest_compute,
            "dest_node": migration.dest_node, "dest_host": None,
            "created_at": common.iso(migration.created_at),
            "updated_at": common.iso(migration.updated_at)}
    if version >= (2, 59):
        view["uuid"] = migration.uuid
    return view


def listed(migration: MigrationRecord, flavors: dict[str, int],
           version: microversion.Version) -> dict[str, Any]:
    """An /os-migrations entry (flavors: flavor id → Nova's integer instance type id)."""
    view = {**_common(migration, version), "instance_uuid": migration.instance_uuid,
            "old_instance_type_id": flavors.get(migration.old_flavor_id or ""),
            "new_instance_type_id": flavors.get(migration.new_flavor_id or "")}
    if version >= (2, 23):
        view["migration_type"] = migration.migration_type
        if migration.migration_type == LIVE and migration.status in RUNNING:
            href = urls.url("compute", "v2.1", "servers", migration.instance_uuid,
                            "migrations", str(migration.id))
            view["links"] = [{"rel": "self", "href": href},
                             {"rel": "bookmark", "href": href}]
    return view


def in_progress(migration: MigrationRecord, version: microversion.Version) -> dict[str, Any]:
    """A /servers/{id}/migrations entry."""
    return {**_common(migration, version), "server_uuid": migration.instance_uuid,
            **dict.fromkeys(("memory_total_bytes", "memory_processed_bytes",
                             "memory_remaining_bytes", "disk_total_bytes",
                             "disk_processed_bytes", "disk_remaining_bytes"))}


class Migrations:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        ctx = handlers.ctx(req)
        policy.authorize(ctx, "compute:migrations:index", {})
        version = microversion.version(req)
        migrations = compute_migrations.list_migrations(
            ctx, instance_uuid=handlers.query(req, "instance_uuid"),
            status=handlers.query(req, "status"), host=handlers.query(req, "host"),
            migration_type=handlers.query(req, "migration_type"),
            source_compute=handlers.query(req, "source_compute"))
        limit = None
        if version >= (2, 59):
            migrations, limit = instance_actions.page(
                req, migrations, lambda m: m.uuid, lambda m: m.updated_at or m.created_at)
        flavors = compute_migrations.flavor_numbers(
            ctx, {m.old_flavor_id for m in migrations} | {m.new_flavor_id for m in migrations})
        resp.media = {"migrations": [listed(m, flavors, version) for m in migrations]}
        more = common.next_links(req, migrations, limit, "", lambda m: m.uuid)
        if more:
            resp.media["migrations_links"] = more


def _server(req: falcon.Request, server_id: str, rule: str,
            since: Version = Version(2, 23)) -> Any:
    microversion.require(req, since)
    return server_data.get_server(req, server_id, rule)


class ServerMigrations:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str) -> None:
        instance = _server(req, server_id, "compute:servers:migrations:index")
        version = microversion.version(req)
        migrations = compute_migrations.list_migrations(
            handlers.ctx(req), instance_uuid=instance.uuid, migration_type=LIVE)
        resp.media = {"migrations": [in_progress(m, version) for m in migrations
                                     if m.status in RUNNING]}


class ServerMigration:
    def on_get(self, req: falcon.Request, resp: falcon.Response, server_id: str,
               migration_id: str) -> None:
        instance = _server(req, server_id, "compute:servers:migrations:show")
        migration = compute_migrations.get_for_instance(handlers.ctx(req), instance.uuid,
                                                        migration_id)
        if migration.migration_type != LIVE or migration.status not in RUNNING:
            raise exceptions.MigrationNotFoundForInstance(migration_id=migration_id,
                                                          instance_id=instance.uuid)
        resp.media = {"migration": in_progress(migration, microversion.version(req))}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, server_id: str,
                  migration_id: str) -> None:
        instance = _server(req, server_id, "compute:servers:migrations:delete",
                           Version(2, 24))
        compute_api.abort_live_migration(handlers.ctx(req), instance, migration_id,
                                         microversion.version(req) >= (2, 65))
        resp.status = 202


class ServerMigrationAction:
    def on_post(self, req: falcon.Request, resp: falcon.Response, server_id: str,
                migration_id: str) -> None:
        body.validate(body.json_body(req), _FORCE_COMPLETE)
        instance = _server(req, server_id, "compute:servers:migrations:force_complete",
                           Version(2, 22))
        server_data.check_unlocked(req, instance)
        compute_api.force_complete_live_migration(handlers.ctx(req), instance, migration_id)
        resp.status = 202
