"""Server side of the conductor's RPC API: flows for the api, the database for agents."""
import time
from typing import Any

import oslo_messaging as messaging
import prometheus_client
from oslo_log import log as logging

from common import context
from common.config import CONF
from common.db.api import (
    compute_actions,
    compute_hosts,
    compute_instances,
    compute_migrations,
    images,
    network_instances,
    placement,
)
from common.db.api import services as services_db
from common.manager import Manager, periodic
from services.compute import rpcapi as compute_rpcapi
from services.conductor import dns as dns_endpoint
from services.conductor import network as network_endpoint
from services.conductor.tasks import (
    build,
    delete,
    drs,
    evacuate,
    ha,
    live_migrate,
    ports,
    recover,
    resize,
)
from services.conductor.tasks.base import Services
from services.scheduler import rpcapi as scheduler_rpcapi

LOG = logging.getLogger(__name__)
_UNSET: Any = object()


class ConductorManager(Manager):
    target = messaging.Target(version="1.4")

    def __init__(self, host: str) -> None:
        super().__init__(host)
        self.services = Services(scheduler_rpcapi.SchedulerAPI(), compute_rpcapi.ComputeAPI(),
                                 host)
        self.metrics: Any = None  # the metrics HTTP server, when [conductor] metrics_port
        self.started_at = time.monotonic()

    def init_host(self) -> None:
        if CONF.conductor.metrics_port:  # evacuations, fencing (services.conductor.metrics)
            self.metrics, _thread = prometheus_client.start_http_server(
                CONF.conductor.metrics_port, addr=CONF.conductor.metrics_host)

    def cleanup_host(self) -> None:
        if self.metrics is not None:
            self.metrics.shutdown()

    def endpoints(self) -> list[Any]:
        return [self, network_endpoint.NetworkEndpoint(), dns_endpoint.DNSEndpoint()]

    def service_heartbeat(self, ctxt: context.RequestContext, host: str, binary: str,
                          topic: str, version: str) -> None:
        services_db.heartbeat(ctxt, host, binary, topic, version)

    # --- flows ------------------------------------------------------------------------

    def build_instances(self, ctxt: context.RequestContext, instance_uuids: list[str],
                        request_spec: dict) -> None:
        build.BuildTask(ctxt, self.services, instance_uuids, request_spec).execute()

    def build_failed(self, ctxt: context.RequestContext, instance_uuid: str, host: str,
                     fault: dict, request_spec: dict, alternates: list[dict], attempt: int,
                     reschedule: bool = True) -> None:
        build.RescheduleTask(ctxt, self.services, instance_uuid, host, fault, request_spec,
                             alternates, attempt, reschedule).execute()

    # Not at start: casts queued while no conductor ran are delivered first.
    @periodic(lambda: CONF.conductor.recover_interval)
    def recover_interrupted_flows(self, ctxt: context.RequestContext) -> None:
        recover.RecoverTask(ctxt, self.services).execute()

    @periodic(lambda: CONF.ha.check_interval)
    def watch_compute_hosts(self, ctxt: context.RequestContext) -> None:
        ha.HostMonitorTask(ctxt, self.services, self.started_at).execute()

    @periodic(lambda: CONF.drs.interval)
    def rebalance_hosts(self, ctxt: context.RequestContext) -> None:
        drs.RebalanceTask(ctxt, self.services).execute()

    def delete_instance(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        delete.DeleteTask(ctxt, self.services, instance_uuid).execute()

    def resize_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                        flavor: dict) -> None:
        resize.ResizeTask(ctxt, self.services, instance_uuid, flavor).execute()

    # Every minute, or sooner when the window is shorter.
    @periodic(lambda: min(60, CONF.compute.resize_confirm_window or 60))
    def confirm_expired_resizes(self, ctxt: context.RequestContext) -> None:
        resize.confirm_expired(ctxt, self.services)

    def migrate_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                         host: str | None = None) -> None:
        resize.ResizeTask(ctxt, self.services, instance_uuid, None, host).execute()

    def live_migrate_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                              host: str | None, block_migration: bool,
                              force: bool = False) -> None:
        live_migrate.LiveMigrationTask(ctxt, self.services, instance_uuid, host,
                                       block_migration, force).execute()

    def evacuate_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                          host: str | None, force: bool = False) -> None:
        evacuate.EvacuateTask(ctxt, self.services, instance_uuid, host, force).execute()

    def evacuation_done(self, ctxt: context.RequestContext, instance_uuid: str,
                        migration_uuid: str) -> None:
        evacuate.done(ctxt, instance_uuid, migration_uuid)

    def evacuation_failed(self, ctxt: context.RequestContext, instance_uuid: str,
                          migration_uuid: str, fault: dict) -> None:
        evacuate.failed(ctxt, instance_uuid, migration_uuid, fault)

    def evacuations_from(self, ctxt: context.RequestContext, host: str) -> list[dict]:
        return evacuate.from_host(ctxt, host)

    def evacuation_cleaned(self, ctxt: context.RequestContext, migration_uuid: str) -> None:
        evacuate.cleaned(ctxt, migration_uuid)

    def bind_ports(self, ctxt: context.RequestContext, instance_uuid: str,
                   host: str) -> list[dict]:
        return ports.bind_to(ctxt, instance_uuid, host)

    def live_migration_completed(self, ctxt: context.RequestContext, instance_uuid: str,
                                 migration_uuid: str) -> None:
        live_migrate.complete(ctxt, self.services, instance_uuid, migration_uuid)

    def live_migration_failed(self, ctxt: context.RequestContext, instance_uuid: str,
                              migration_uuid: str, reason: str,
                              cancelled: bool = False) -> None:
        # the source agent records the fault itself (with the driver's error)
        LOG.info("live migration %s of %s ended on the source: %s", migration_uuid,
                 instance_uuid, "cancelled" if cancelled else reason)
        live_migrate.fail(ctxt, self.services, instance_uuid, migration_uuid, None,
                          "cancelled" if cancelled else "error")

    def confirm_resize(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        resize.ConfirmResizeTask(ctxt, self.services, instance_uuid).execute()

    def revert_resize(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        resize.RevertResizeTask(ctxt, self.services, instance_uuid).execute()

    # --- database proxy for agents ------------------------------------------------------

    def instance_get(self, ctxt: context.RequestContext, instance_uuid: str,
                     read_deleted: str = "no") -> dict:
        return compute_instances.to_dict(compute_instances.get(ctxt, instance_uuid, read_deleted))

    def instance_update(self, ctxt: context.RequestContext, instance_uuid: str, values: dict,
                        expected_task_state: Any = _UNSET,
                        expected_vm_state: Any = None) -> dict:
        kwargs = {"expected_vm_state": expected_vm_state}
        if expected_task_state is not _UNSET:
            kwargs["expected_task_state"] = expected_task_state
        return compute_instances.to_dict(compute_instances.update(ctxt, instance_uuid, values,
                                                                  **kwargs))

    def instances_for_host(self, ctxt: context.RequestContext, host: str) -> list[dict]:
        return [compute_instances.to_dict(i) for i in compute_instances.for_host(ctxt, host)]

    def instance_fault(self, ctxt: context.RequestContext, instance_uuid: str, fault: dict,
                       host: str | None = None, set_error: bool = False) -> None:
        record = compute_instances.set_error if set_error else compute_instances.add_fault
        record(ctxt, instance_uuid, fault.get("code", 500), fault["message"],
               fault.get("details", ""), host)

    def instance_delete_complete(self, ctxt: context.RequestContext,
                                 instance_uuid: str) -> dict | None:
        return delete.complete(ctxt, instance_uuid)

    def instance_network_info(self, ctxt: context.RequestContext,
                              instance_uuid: str) -> list[dict]:
        return ports.network_info(network_instances.instance_vifs(ctxt, instance_uuid))

    def provider_update(self, ctxt: context.RequestContext, host: str, inventories: dict,
                        traits: list[str], node: dict | None = None) -> int:
        if node is not None:
            compute_hosts.update_node(ctxt, host, node)
        return placement.set_inventory(ctxt, host, inventories, traits)

    def action_event_start(self, ctxt: context.RequestContext, instance_uuid: str,
                           request_id: str, event: str, host: str) -> None:
        compute_actions.event_start(ctxt, instance_uuid, request_id, event, host)

    def action_event_finish(self, ctxt: context.RequestContext, instance_uuid: str,
                            request_id: str, event: str, result: str,
                            traceback: str | None = None) -> None:
        compute_actions.event_finish(ctxt, instance_uuid, request_id, event, result, traceback)

    def migration_update(self, ctxt: context.RequestContext, migration_uuid: str,
                         values: dict) -> dict:
        return compute_migrations.to_dict(
            compute_migrations.update(ctxt, migration_uuid, values))

    def resize_allocations(self, ctxt: context.RequestContext, instance_uuid: str,
                           migration_uuid: str, outcome: str) -> None:
        resize.finish_allocations(ctxt, instance_uuid, migration_uuid, outcome)

    def snapshot_done(self, ctxt: context.RequestContext, instance_uuid: str, image_id: str,
                      image_meta: dict | None) -> None:
        images.snapshot_finished(ctxt, image_id, image_meta)
