"""Building instances: schedule, send each to its host, reschedule failed builds.

The scheduler claims the chosen host's resources; the server's ports are allocated and
bound to that host (services.conductor.tasks.ports); the instance goes to the compute
agent with their network_info. A build that fails there comes back (build_failed): its
claim is released and the next alternate is claimed and tried, up to [scheduler]
max_attempts hosts, its ports following it; after that, or when no host fits at all,
the instance goes to ERROR with a fault and holds no claim and no port it made.
"""
from oslo_log import log as logging

from common import context, exceptions, notifications
from common.compute_states import BUILD_TASK_STATES, TaskState
from common.config import CONF
from common.db.api import compute_actions, compute_hosts, compute_instances, placement
from common.faults import fault_of
from services.compute import rpcapi as compute_rpcapi
from services.conductor.tasks import PUBLISHER, ports
from services.scheduler import claims
from services.scheduler import rpcapi as scheduler_rpcapi

LOG = logging.getLogger(__name__)
EVENT = "conductor_schedule_and_build_instances"


class BuildTask:
    def __init__(self, ctxt: context.RequestContext, scheduler: scheduler_rpcapi.SchedulerAPI,
                 compute: compute_rpcapi.ComputeAPI, host: str) -> None:
        self.ctxt = ctxt
        self.scheduler = scheduler
        self.compute = compute
        self.host = host

    def build(self, instance_uuids: list[str], request_spec: dict) -> None:
        """Schedule the instances together; send each to its chosen host."""
        for uuid in instance_uuids:
            compute_instances.save_request_spec(uuid, {**request_spec, "num_instances": 1})
            compute_actions.event_start(uuid, self.ctxt.request_id or "", EVENT, self.host)
        try:
            selections = self.scheduler.select_destinations(self.ctxt, request_spec,
                                                            instance_uuids)
        except Exception as error:  # NoValidHost, or the scheduler never answered
            if not isinstance(error, exceptions.NoValidHost):
                LOG.exception("scheduling %s failed", instance_uuids)
            for uuid in instance_uuids:
                placement.release(uuid)  # a timed-out scheduler may have claimed
                self.fail(uuid, error)
            return
        for uuid, (chosen, *alternates) in zip(instance_uuids, selections, strict=True):
            compute_actions.event_finish(uuid, self.ctxt.request_id or "", EVENT)
            self._send(uuid, chosen, alternates, request_spec, attempt=1)

    def build_failed(self, uuid: str, failed_host: str, fault: dict, request_spec: dict,
                     alternates: list[dict], attempt: int, reschedule: bool) -> None:
        """Release the failed host's claim; try the alternates or go to ERROR."""
        placement.release(uuid)
        try:
            compute_instances.update(uuid, {"host": None, "node": None,
                                            "task_state": TaskState.SCHEDULING},
                                     expected_task_state=list(BUILD_TASK_STATES))
        except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState):
            LOG.info("not rescheduling %s: deleted or no longer building", uuid)
            return
        if not reschedule:
            self.fail(uuid, fault)
            return
        tried = {*request_spec.get("ignore_hosts", ()), failed_host}
        spec = {**request_spec, "ignore_hosts": sorted(tried)}
        resources = placement.resources_for_flavor(spec["flavor"])
        remaining = [alt for alt in alternates if alt["host"] not in tried]
        while remaining and attempt < CONF.scheduler.max_attempts:
            chosen = remaining.pop(0)
            if claims.claim(uuid, chosen["host"], resources, spec.get("instance_group")):
                LOG.info("rescheduling %s from %s to %s (attempt %d)", uuid, failed_host,
                         chosen["host"], attempt + 1)
                self._send(uuid, chosen, remaining, spec, attempt + 1)
                return
        error = exceptions.MaxRetriesExceeded(instance_uuid=uuid)
        self.fail(uuid, {**fault_of(error),
                           "details": f"Last failure on {failed_host}: {fault.get('message')}"
                                      f"\n{fault.get('details', '')}"})

    def _send(self, uuid: str, chosen: dict, alternates: list[dict], spec: dict,
              attempt: int) -> None:
        host = chosen["host"]
        values = {"host": host, "node": chosen["node"]}
        try:
            instance = compute_instances.get(uuid)
            zone = instance.availability_zone or compute_hosts.availability_zone_of(host)
            # Ports before the guarded update: a delete that wins the race either
            # finds them or makes the update fail, and both paths release them.
            network_info = ports.allocate(self.ctxt, uuid, host, zone, spec)
            if not instance.availability_zone:
                values["availability_zone"] = zone
            compute_instances.update(uuid, values, expected_task_state=[TaskState.SCHEDULING])
        except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState):
            # Deleted while it was being scheduled: the delete found no host, so the
            # claim and the ports just made are ours to drop.
            LOG.info("instance %s went away while scheduling; releasing its claim", uuid)
            placement.release(uuid)
            ports.release(self.ctxt, uuid)
            return
        except Exception as error:  # the ports could not be made: no host would do better
            LOG.exception("allocating the ports of %s failed", uuid)
            placement.release(uuid)
            self.fail(uuid, error)
            return
        self.compute.build_and_run_instance(self.ctxt, host, uuid, spec, alternates, attempt,
                                            network_info)

    def fail(self, uuid: str, error: BaseException | dict) -> None:
        """ERROR with a fault: no port the build made is left, and a notification."""
        ports.release(self.ctxt, uuid)
        fault = error if isinstance(error, dict) else fault_of(error)
        compute_instances.set_error(uuid, fault["code"], fault["message"],
                                    fault.get("details", ""), host=None)
        compute_actions.event_finish(uuid, self.ctxt.request_id or "", EVENT,
                                     compute_actions.ERROR, fault.get("details"))
        try:
            instance = compute_instances.to_dict(compute_instances.get(uuid))
        except exceptions.InstanceNotFound:
            return
        notifications.notify_instance(self.ctxt, instance, "create", "error", PUBLISHER,
                                      self.host, fault=fault)
