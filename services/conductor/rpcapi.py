"""Client side of the conductor's RPC API (used by agents and the api).

Two audiences:
- the api starts long flows with casts: build_instances, delete_instance,
  resize_instance, confirm_resize, revert_resize;
- agents, which never open the database, call the DB proxy methods: instance_get,
  instance_update (with task_state guards), instances_for_host, provider_update,
  action events, and report back: build_failed, instance_delete_complete,
  resize_allocations, snapshot_done.
Instances travel as dicts (common.db.api.compute_instances.to_dict).
"""
import time
from typing import Any

import oslo_messaging as messaging
from oslo_log import log as logging

from common import context, rpc, topics
from common.config import CONF
from common.dns.snapshots import Network, Zone
from common.service import Reporter

LOG = logging.getLogger(__name__)
TOPIC = topics.CONDUCTOR
_UNSET: Any = object()


def wait_for_conductor(ctxt: context.RequestContext, timeout: float | None = None) -> None:
    """Block until a conductor answers (a call sent before any conductor declared its
    queue is lost and only times out). Raises MessagingTimeout after ``timeout``. An
    agent calls it before its first report, as Nova's compute does."""
    client = rpc.get_client(TOPIC, ConductorAPI.VERSION).prepare(
        namespace=rpc.BASE_NAMESPACE, version=rpc.BASE_VERSION, timeout=5)
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            client.call(ctxt, "ping")
            return
        except messaging.MessagingTimeout:
            if deadline is not None and time.monotonic() > deadline:
                raise
        # Outside the handler: an agent started before the conductor is normal, not a
        # lost reply (oslo.log would append the MessagingTimeout to the line).
        LOG.info("no conductor answers yet; waiting for one")


class ConductorAPI:
    """Version history:

    1.0 - service_heartbeat
    1.1 - compute: build_instances, delete_instance, resize_instance, confirm_resize,
          revert_resize; instance_get, instance_update, instances_for_host,
          instance_delete_complete, instance_fault, provider_update,
          action_event_start, action_event_finish, build_failed, migration_update,
          resize_allocations, snapshot_done
    1.2 - instance_network_info
    1.3 - migrate_instance, live_migrate_instance; bind_ports, live_migration_completed,
          live_migration_failed
    1.4 - evacuate_instance; evacuation_done, evacuation_failed, evacuations_from,
          evacuation_cleaned
    """

    VERSION = "1.4"

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, self.VERSION)

    def service_heartbeat(self, ctxt: context.RequestContext, host: str, binary: str,
                          topic: str, version: str) -> None:
        # A heartbeat older than report_interval is worthless: don't wait longer than that
        # (a message sent before the conductor's queue existed is never answered).
        cctxt = self.client.prepare(version="1.0", timeout=max(CONF.report_interval, 2.0))
        cctxt.call(ctxt, "service_heartbeat", host=host, binary=binary, topic=topic,
                   version=version)

    # --- flows the api starts (casts) -------------------------------------------------

    def build_instances(self, ctxt: context.RequestContext, instance_uuids: list[str],
                        request_spec: dict) -> None:
        """Schedule and build instances created by compute_instances.create (BUILD /
        scheduling). ``request_spec``: services.scheduler.request.make_request_spec.
        Each ends ACTIVE, or ERROR with a fault (No valid host / retries exhausted)."""
        self._cast(ctxt, "build_instances", instance_uuids=list(instance_uuids),
                   request_spec=request_spec)

    def delete_instance(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        """Delete an instance the api put in task_state deleting (begin_action 'delete'):
        on its host if it has a live one, else right here. Ends soft deleted with no
        domain, disk or allocation left."""
        self._cast(ctxt, "delete_instance", instance_uuid=instance_uuid)

    def resize_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                        flavor: dict) -> None:
        """Resize to ``flavor`` (compute_flavors.snapshot) an instance the api put in
        resize_prep (begin_action 'resize'); ends VERIFY_RESIZE (or back as it was,
        with a fault, when no host fits)."""
        self._cast(ctxt, "resize_instance", instance_uuid=instance_uuid, flavor=flavor)

    def migrate_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                         host: str | None = None) -> None:
        """Cold-migrate an instance the api put in resize_prep (begin_action 'migrate')
        to ``host`` or a host the scheduler picks, never its own: a resize to the same
        flavor, confirmed or reverted as one."""
        self._cast(ctxt, "migrate_instance", instance_uuid=instance_uuid, host=host)

    def live_migrate_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                              host: str | None, block_migration: bool,
                              force: bool = False) -> None:
        """Live-migrate an instance the api put in migrating (begin_action
        'live-migration'): services.conductor.tasks.live_migrate."""
        self._cast(ctxt, "live_migrate_instance", instance_uuid=instance_uuid, host=host,
                   block_migration=block_migration, force=force)

    def evacuate_instance(self, ctxt: context.RequestContext, instance_uuid: str,
                          host: str | None, force: bool = False) -> None:
        """Rebuild elsewhere a server of a dead host the api put in rebuilding
        (begin_action 'evacuate'): services.conductor.tasks.evacuate."""
        self.client.prepare(version="1.4").cast(ctxt, "evacuate_instance",
                                                instance_uuid=instance_uuid, host=host,
                                                force=force)

    def confirm_resize(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        """Confirm a resized (VERIFY_RESIZE) instance: the old flavor's resources go."""
        self._cast(ctxt, "confirm_resize", instance_uuid=instance_uuid)

    def revert_resize(self, ctxt: context.RequestContext, instance_uuid: str) -> None:
        """Revert a resized instance the api put in resize_reverting (begin_action
        'revertResize') to its old flavor and host."""
        self._cast(ctxt, "revert_resize", instance_uuid=instance_uuid)

    # --- database proxy for agents (calls) --------------------------------------------

    def instance_get(self, ctxt: context.RequestContext, instance_uuid: str,
                     read_deleted: str = "no") -> dict:
        """The instance dict; raises InstanceNotFound."""
        return self._call(ctxt, "instance_get", instance_uuid=instance_uuid,
                          read_deleted=read_deleted)

    def instance_update(self, ctxt: context.RequestContext, instance_uuid: str,
                        values: dict, expected_task_state: Any = _UNSET,
                        expected_vm_state: Any = None) -> dict:
        """Update and return the instance; with ``expected_task_state`` (a state or a
        list) only if it is still in it, else UnexpectedTaskState /
        UnexpectedDeletingTaskState. Raises InstanceNotFound."""
        kwargs: dict[str, Any] = {"instance_uuid": instance_uuid, "values": values,
                                  "expected_vm_state": expected_vm_state}
        if expected_task_state is not _UNSET:
            kwargs["expected_task_state"] = expected_task_state
        return self._call(ctxt, "instance_update", **kwargs)

    def instances_for_host(self, ctxt: context.RequestContext, host: str) -> list[dict]:
        """Live instances of ``host`` (and those a resize moves to or from it)."""
        return self._call(ctxt, "instances_for_host", host=host)

    def instance_fault(self, ctxt: context.RequestContext, instance_uuid: str,
                       fault: dict, host: str | None = None, set_error: bool = False) -> None:
        """Record ``fault`` {message, code, details}; with ``set_error`` also vm_state
        ERROR and task_state None."""
        self._call(ctxt, "instance_fault", instance_uuid=instance_uuid, fault=fault,
                   host=host, set_error=set_error)

    def instance_delete_complete(self, ctxt: context.RequestContext,
                                 instance_uuid: str) -> dict | None:
        """The guest is gone: soft delete the instance, release every allocation it
        (or its unfinished migration) holds. Returns the deleted instance dict."""
        return self._call(ctxt, "instance_delete_complete", instance_uuid=instance_uuid)

    def instance_network_info(self, ctxt: context.RequestContext,
                              instance_uuid: str) -> list[dict]:
        """The VIFs of the instance's ports as they are (for re-plugging a rebuilt guest)."""
        return self.client.prepare(version="1.2").call(ctxt, "instance_network_info",
                                                       instance_uuid=instance_uuid)

    def provider_update(self, ctxt: context.RequestContext, host: str,
                        inventories: dict, traits: list[str], node: dict | None = None) -> int:
        """Set the resource provider ``host``'s inventories and traits, and its compute
        node's description ``node`` (hypervisor type, version, ...); the generation."""
        return self._call(ctxt, "provider_update", host=host, inventories=inventories,
                          traits=traits, node=node)

    def action_event_start(self, ctxt: context.RequestContext, instance_uuid: str,
                           event: str, host: str) -> None:
        self._call(ctxt, "action_event_start", instance_uuid=instance_uuid,
                   request_id=ctxt.request_id, event=event, host=host)

    def action_event_finish(self, ctxt: context.RequestContext, instance_uuid: str,
                            event: str, result: str, traceback: str | None = None) -> None:
        self._call(ctxt, "action_event_finish", instance_uuid=instance_uuid,
                   request_id=ctxt.request_id, event=event, result=result,
                   traceback=traceback)

    def migration_update(self, ctxt: context.RequestContext, migration_uuid: str,
                         values: dict) -> dict:
        return self._call(ctxt, "migration_update", migration_uuid=migration_uuid,
                          values=values)

    def resize_allocations(self, ctxt: context.RequestContext, instance_uuid: str,
                           migration_uuid: str, outcome: str) -> None:
        """'confirm': drop the old flavor's allocations; 'revert': give them back to the
        instance in place of the new flavor's."""
        self._call(ctxt, "resize_allocations", instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid, outcome=outcome)

    def bind_ports(self, ctxt: context.RequestContext, instance_uuid: str,
                   host: str) -> list[dict]:
        """From the agent a server moves to (resize, revert): its ports bound there."""
        return self._call(ctxt, "bind_ports", instance_uuid=instance_uuid, host=host)

    def live_migration_completed(self, ctxt: context.RequestContext, instance_uuid: str,
                                 migration_uuid: str) -> None:
        """From the source agent: the guest runs on the destination now."""
        self._call(ctxt, "live_migration_completed", instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid)

    def live_migration_failed(self, ctxt: context.RequestContext, instance_uuid: str,
                              migration_uuid: str, reason: str,
                              cancelled: bool = False) -> None:
        """From the source agent: the guest stayed there (``cancelled``: by an abort)."""
        self._call(ctxt, "live_migration_failed", instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid, reason=reason, cancelled=cancelled)

    def evacuation_done(self, ctxt: context.RequestContext, instance_uuid: str,
                        migration_uuid: str) -> None:
        """From the destination agent: the evacuated server runs there."""
        self._call_v4(ctxt, "evacuation_done", instance_uuid=instance_uuid,
                      migration_uuid=migration_uuid)

    def evacuation_failed(self, ctxt: context.RequestContext, instance_uuid: str,
                          migration_uuid: str, fault: dict) -> None:
        """From the destination agent: the rebuild failed (the server goes to ERROR)."""
        self._call_v4(ctxt, "evacuation_failed", instance_uuid=instance_uuid,
                      migration_uuid=migration_uuid, fault=fault)

    def evacuations_from(self, ctxt: context.RequestContext, host: str) -> list[dict]:
        """The evacuations away from ``host`` whose guests it may still hold."""
        return self._call_v4(ctxt, "evacuations_from", host=host)

    def evacuation_cleaned(self, ctxt: context.RequestContext, migration_uuid: str) -> None:
        """From the source agent, back: the evacuated guest is gone from it; its old
        allocations go."""
        self._call_v4(ctxt, "evacuation_cleaned", migration_uuid=migration_uuid)

    def _call_v4(self, ctxt: context.RequestContext, method: str, **kwargs: Any) -> Any:
        return self.client.prepare(version="1.4").call(ctxt, method, **kwargs)

    # --- reports from agents (casts) ----------------------------------------------------

    def build_failed(self, ctxt: context.RequestContext, instance_uuid: str, host: str,
                     fault: dict, request_spec: dict, alternates: list[dict],
                     attempt: int, reschedule: bool = True) -> None:
        """A build failed on ``host``: release its claim and try an alternate (up to
        [scheduler] max_attempts), or ERROR with ``fault``."""
        self._cast(ctxt, "build_failed", instance_uuid=instance_uuid, host=host,
                   fault=fault, request_spec=request_spec, alternates=alternates,
                   attempt=attempt, reschedule=reschedule)

    def snapshot_done(self, ctxt: context.RequestContext, instance_uuid: str,
                      image_id: str, image_meta: dict | None) -> None:
        """A createImage finished (``image_meta`` None: it failed): update the image."""
        self._call(ctxt, "snapshot_done", instance_uuid=instance_uuid, image_id=image_id,
                   image_meta=image_meta)

    def _call(self, ctxt: context.RequestContext, method: str, **kwargs: Any) -> Any:
        return self.client.prepare(version="1.1").call(ctxt, method, **kwargs)

    def _cast(self, ctxt: context.RequestContext, method: str, **kwargs: Any) -> None:
        self.client.prepare(version="1.1").cast(ctxt, method, **kwargs)


def heartbeat_reporter() -> Reporter:
    """How agents record their heartbeat: through the conductor, never the database."""
    api = ConductorAPI()

    def report(ctxt: context.RequestContext, host: str, binary: str, topic: str,
               version: str) -> None:
        api.service_heartbeat(ctxt, host, binary, topic, version)

    return report


class NetworkConductorAPI:
    """The network agent's calls to the conductor's "network" endpoint
    (services.conductor.network).

    Version history: 1.0 - get_network_state, update_port_status.
    """

    VERSION = "1.0"
    NAMESPACE = "network"
    # A full snapshot of a large cloud takes seconds to build and send; a call made
    # before the conductor's queue existed is never answered and waits all of it.
    STATE_TIMEOUT = 30

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, self.VERSION).prepare(namespace=self.NAMESPACE)

    def get_network_state(self, ctxt: context.RequestContext, seeds: list | None = None,
                          scopes: list | None = None) -> dict:
        """Everything (no arguments), or the scopes ``seeds`` [(kind, id)] affect plus
        ``scopes``: see common.db.api.network_state.snapshot."""
        cctxt = self.client.prepare(timeout=self.STATE_TIMEOUT)
        return cctxt.call(ctxt, "get_network_state", seeds=seeds, scopes=scopes)

    def update_port_status(self, ctxt: context.RequestContext,
                           statuses: dict[str, str]) -> None:
        self.client.call(ctxt, "update_port_status", statuses=statuses)


class DNSConductorAPI:
    """The dns agent's calls to the conductor's "dns" endpoint (services.conductor.dns).

    Version history: 1.0 - get_zones, zones_synced, purge_zone, get_networks,
    sync_managed, sync_all_managed.
    """

    VERSION = "1.0"
    NAMESPACE = "dns"

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, self.VERSION).prepare(namespace=self.NAMESPACE)

    def get_zones(self, ctxt: context.RequestContext,
                  zone_ids: list[str] | None = None) -> list[Zone]:
        """Snapshots of zones (all when ``zone_ids`` is None): see common.db.api.dns_sync."""
        return self.client.call(ctxt, "get_zones", zone_ids=zone_ids)

    def zones_synced(self, ctxt: context.RequestContext, results: list[dict]) -> None:
        self.client.call(ctxt, "zones_synced", results=results)

    def purge_zone(self, ctxt: context.RequestContext, zone_id: str) -> None:
        self.client.call(ctxt, "purge_zone", zone_id=zone_id)

    def get_networks(self, ctxt: context.RequestContext,
                     network_ids: list[str] | None = None) -> list[Network]:
        """The OVN DNS records of tenant networks: see common.db.api.dns_network."""
        return self.client.call(ctxt, "get_networks", network_ids=network_ids)

    def sync_managed(self, ctxt: context.RequestContext, resource_type: str,
                     resource_id: str) -> list[str]:
        """Update the recordsets of one port or floating IP; returns changed zone ids."""
        return self.client.call(ctxt, "sync_managed", resource_type=resource_type,
                                resource_id=resource_id)

    def sync_all_managed(self, ctxt: context.RequestContext) -> list[str]:
        return self.client.call(ctxt, "sync_all_managed")
