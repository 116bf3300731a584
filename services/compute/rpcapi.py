"""Client side of the compute agent's RPC API: every method goes to one host's agent
(topic 'compute', server = host).

The api casts the instance actions after ``compute_instances.begin_action`` set the
action's task_state (stop -> powering-off, ...); the agent finishes the action and
clears task_state, or records a fault. The conductor casts the build and resize steps.
"""
from typing import Any

from common import context, rpc, topics
from common.config import CONF

TOPIC = topics.COMPUTE


class ComputeAPI:
    """Version history: 1.0 - the instance lifecycle below.
    1.1 - build_and_run_instance takes network_info.
    1.2 - live migration: pre_live_migration, live_migration,
          post_live_migration_at_destination, rollback_live_migration_at_destination,
          live_migration_abort, live_migration_force_complete.
    1.3 - evacuate_instance."""

    VERSION = "1.3"

    def __init__(self) -> None:
        self.client = rpc.get_client(TOPIC, self.VERSION)

    def _cast(self, ctxt: context.RequestContext, host: str, method: str,
              **kwargs: Any) -> None:
        self.client.prepare(server=host).cast(ctxt, method, **kwargs)

    # --- from the conductor -----------------------------------------------------------

    def build_and_run_instance(self, ctxt: context.RequestContext, host: str,
                               instance_uuid: str, request_spec: dict,
                               alternates: list[dict], attempt: int = 1,
                               network_info: list[dict] | None = None) -> None:
        """``network_info``: the VIFs of the ports the conductor bound to ``host``
        (services.conductor.tasks.ports.network_info)."""
        self._cast(ctxt, host, "build_and_run_instance", instance_uuid=instance_uuid,
                   request_spec=request_spec, alternates=alternates, attempt=attempt,
                   network_info=network_info or [])

    def terminate_instance(self, ctxt: context.RequestContext, host: str,
                           instance_uuid: str) -> None:
        self._cast(ctxt, host, "terminate_instance", instance_uuid=instance_uuid)

    def resize_instance(self, ctxt: context.RequestContext, host: str,
                        instance_uuid: str, migration_uuid: str, flavor: dict) -> None:
        """On the source host: power off, hand the disks over to the dest host."""
        self._cast(ctxt, host, "resize_instance", instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid, flavor=flavor)

    def finish_resize(self, ctxt: context.RequestContext, host: str, instance_uuid: str,
                      migration_uuid: str, disk_info: dict) -> None:
        """On the dest host: start the guest with the new flavor (VERIFY_RESIZE)."""
        self._cast(ctxt, host, "finish_resize", instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid, disk_info=disk_info)

    def confirm_resize(self, ctxt: context.RequestContext, host: str, instance_uuid: str,
                       migration_uuid: str) -> None:
        """On the source host: drop what the revert would have needed."""
        self._cast(ctxt, host, "confirm_resize", instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid)

    def revert_resize(self, ctxt: context.RequestContext, host: str, instance_uuid: str,
                      migration_uuid: str) -> None:
        """On the dest host: drop the resized guest, then the source restores it."""
        self._cast(ctxt, host, "revert_resize", instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid)

    def finish_revert_resize(self, ctxt: context.RequestContext, host: str,
                             instance_uuid: str, migration_uuid: str) -> None:
        self._cast(ctxt, host, "finish_revert_resize", instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid)

    # --- live migration (from the conductor) -------------------------------------------

    def pre_live_migration(self, ctxt: context.RequestContext, host: str,
                           instance_uuid: str, migration_uuid: str, block_migration: bool,
                           network_info: list[dict]) -> dict:
        """On the destination: get ready to receive the guest (its disks, files and
        NICs); what the source needs to send it there (the driver's migrate data)."""
        return self.client.prepare(server=host, timeout=CONF.compute.pre_migration_timeout
                                   ).call(ctxt, "pre_live_migration",
                                          instance_uuid=instance_uuid,
                                          migration_uuid=migration_uuid,
                                          block_migration=block_migration,
                                          network_info=network_info)

    def live_migration(self, ctxt: context.RequestContext, host: str, instance_uuid: str,
                       migration_uuid: str, dest: str, migrate_data: dict,
                       block_migration: bool) -> None:
        """On the source: move the running guest to ``dest``; the agent reports the
        outcome to the conductor (live_migration_completed or _failed)."""
        self._cast(ctxt, host, "live_migration", instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid, dest=dest, migrate_data=migrate_data,
                   block_migration=block_migration)

    def post_live_migration_at_destination(self, ctxt: context.RequestContext, host: str,
                                           instance_uuid: str) -> None:
        self._cast(ctxt, host, "post_live_migration_at_destination",
                   instance_uuid=instance_uuid)

    def rollback_live_migration_at_destination(self, ctxt: context.RequestContext,
                                               host: str, instance_uuid: str) -> None:
        """On the destination of a failed live migration: drop what it prepared."""
        self._cast(ctxt, host, "rollback_live_migration_at_destination",
                   instance_uuid=instance_uuid)

    def live_migration_abort(self, ctxt: context.RequestContext, host: str,
                             instance_uuid: str, migration_uuid: str) -> None:
        self._cast(ctxt, host, "live_migration_abort", instance_uuid=instance_uuid,
                   migration_uuid=migration_uuid)

    def live_migration_force_complete(self, ctxt: context.RequestContext, host: str,
                                      instance_uuid: str, migration_uuid: str) -> None:
        self._cast(ctxt, host, "live_migration_force_complete",
                   instance_uuid=instance_uuid, migration_uuid=migration_uuid)

    # --- from the api (after begin_action) --------------------------------------------

    def stop_instance(self, ctxt: context.RequestContext, host: str,
                      instance_uuid: str, clean_shutdown: bool = True) -> None:
        self._cast(ctxt, host, "stop_instance", instance_uuid=instance_uuid,
                   clean_shutdown=clean_shutdown)

    def start_instance(self, ctxt: context.RequestContext, host: str,
                       instance_uuid: str) -> None:
        self._cast(ctxt, host, "start_instance", instance_uuid=instance_uuid)

    def reboot_instance(self, ctxt: context.RequestContext, host: str, instance_uuid: str,
                        reboot_type: str = "SOFT") -> None:
        """``reboot_type`` SOFT (ACPI, falling back to hard) or HARD."""
        self._cast(ctxt, host, "reboot_instance", instance_uuid=instance_uuid,
                   reboot_type=reboot_type)

    def pause_instance(self, ctxt: context.RequestContext, host: str,
                       instance_uuid: str) -> None:
        self._cast(ctxt, host, "pause_instance", instance_uuid=instance_uuid)

    def unpause_instance(self, ctxt: context.RequestContext, host: str,
                         instance_uuid: str) -> None:
        self._cast(ctxt, host, "unpause_instance", instance_uuid=instance_uuid)

    def suspend_instance(self, ctxt: context.RequestContext, host: str,
                         instance_uuid: str) -> None:
        self._cast(ctxt, host, "suspend_instance", instance_uuid=instance_uuid)

    def resume_instance(self, ctxt: context.RequestContext, host: str,
                        instance_uuid: str) -> None:
        self._cast(ctxt, host, "resume_instance", instance_uuid=instance_uuid)

    def rebuild_instance(self, ctxt: context.RequestContext, host: str,
                         instance_uuid: str) -> None:
        """Rebuild from the instance's (new) image_ref/image_meta, which the api set in
        begin_action('rebuild', values=...)."""
        self._cast(ctxt, host, "rebuild_instance", instance_uuid=instance_uuid)

    def evacuate_instance(self, ctxt: context.RequestContext, host: str,
                          instance_uuid: str, migration_uuid: str,
                          network_info: list[dict]) -> None:
        """On the destination of an evacuation: build the server afresh from its image
        with its ports (already bound here); report to the conductor."""
        self.client.prepare(server=host, version="1.3").cast(
            ctxt, "evacuate_instance", instance_uuid=instance_uuid,
            migration_uuid=migration_uuid, network_info=network_info)

    def snapshot_instance(self, ctxt: context.RequestContext, host: str,
                          instance_uuid: str, image_id: str) -> None:
        """Write the instance's disk to the image store as ``image_id`` (the api made
        the queued image); the conductor's snapshot_done activates it."""
        self._cast(ctxt, host, "snapshot_instance", instance_uuid=instance_uuid,
                   image_id=image_id)

    def get_console_output(self, ctxt: context.RequestContext, host: str,
                           instance_uuid: str, length: int | None = None) -> str:
        """The last ``length`` lines (all when None) of the serial console log."""
        return self.client.prepare(server=host, timeout=30).call(
            ctxt, "get_console_output", instance_uuid=instance_uuid, length=length)
