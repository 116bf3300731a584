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
from services.conductor.tasks import PUBLISHER, ports
from services.conductor.tasks.base import Services, TaskBase
from services.scheduler import claims

LOG = logging.getLogger(__name__)
EVENT = "conductor_schedule_and_build_instances"


class BuildTask(TaskBase):
    """Schedule the instances of one request together; send each to its chosen host.
    An instance not sent when the flow fails is released and goes to ERROR."""

    def __init__(self, ctxt: context.RequestContext, services: Services,
                 instance_uuids: list[str], request_spec: dict) -> None:
        super().__init__(ctxt, services)
        self.instance_uuids = instance_uuids
        self.request_spec = request_spec
        self._unsent = list(instance_uuids)

    def _execute(self) -> None:
        ctxt, uuids = self.ctxt, self.instance_uuids
        for uuid in uuids:
            compute_instances.save_request_spec(ctxt, uuid, {**self.request_spec,
                                                       "num_instances": 1})
            compute_actions.event_start(ctxt, uuid, ctxt.request_id or "", EVENT,
                                        self.services.host)
        try:
            selections = self.services.scheduler.select_destinations(
                ctxt, self.request_spec, uuids)
        except Exception as error:  # NoValidHost, or the scheduler never answered
            if not isinstance(error, exceptions.NoValidHost):
                LOG.exception("scheduling %s failed", uuids)
            self.rollback(error)  # a timed-out scheduler may have claimed
            return
        for uuid, (chosen, *alternates) in zip(uuids, selections, strict=True):
            compute_actions.event_finish(ctxt, uuid, ctxt.request_id or "", EVENT)
            self._unsent.remove(uuid)
            send(ctxt, self.services, uuid, chosen, alternates, self.request_spec, 1)

    def rollback(self, error: Exception) -> None:
        for uuid in self._unsent:
            placement.release(self.ctxt, uuid)
            fail(self.ctxt, self.services, uuid, error)
        self._unsent = []


class RescheduleTask(TaskBase):
    """A build failed on ``failed_host``: release its claim; try the alternates or go
    to ERROR."""

    def __init__(self, ctxt: context.RequestContext, services: Services, uuid: str,
                 failed_host: str, fault: dict, request_spec: dict,
                 alternates: list[dict], attempt: int, reschedule: bool) -> None:
        super().__init__(ctxt, services)
        self.uuid = uuid
        self.failed_host = failed_host
        self.fault = fault
        self.request_spec = request_spec
        self.alternates = alternates
        self.attempt = attempt
        self.reschedule = reschedule

    def _execute(self) -> None:
        uuid, fault = self.uuid, self.fault
        placement.release(self.ctxt, uuid)
        try:
            compute_instances.update(self.ctxt, uuid, {"host": None, "node": None,
                                                       "task_state": TaskState.SCHEDULING},
                                     expected_task_state=list(BUILD_TASK_STATES))
        except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState):
            LOG.info("not rescheduling %s: deleted or no longer building", uuid)
            return
        if not self.reschedule:
            fail(self.ctxt, self.services, uuid, fault)
            return
        tried = {*self.request_spec.get("ignore_hosts", ()), self.failed_host}
        spec = {**self.request_spec, "ignore_hosts": sorted(tried)}
        resources = placement.resources_for_flavor(spec["flavor"])
        remaining = [alt for alt in self.alternates if alt["host"] not in tried]
        while remaining and self.attempt < CONF.scheduler.max_attempts:
            chosen = remaining.pop(0)
            if claims.claim(self.ctxt, uuid, chosen["host"], resources,
                            spec.get("instance_group")):
                LOG.info("rescheduling %s from %s to %s (attempt %d)", uuid,
                         self.failed_host, chosen["host"], self.attempt + 1)
                send(self.ctxt, self.services, uuid, chosen, remaining, spec,
                     self.attempt + 1)
                return
        error = exceptions.MaxRetriesExceeded(instance_uuid=uuid)
        fail(self.ctxt, self.services, uuid, {
            **fault_of(error),
            "details": f"Last failure on {self.failed_host}: {fault.get('message')}"
                       f"\n{fault.get('details', '')}"})


def send(ctxt: context.RequestContext, services: Services, uuid: str, chosen: dict,
         alternates: list[dict], spec: dict, attempt: int) -> None:
    """Bind the instance's ports to the claimed host and cast its build there."""
    host = chosen["host"]
    values = {"host": host, "node": chosen["node"]}
    try:
        instance = compute_instances.get(ctxt, uuid)
        zone = instance.availability_zone or compute_hosts.availability_zone_of(ctxt, host)
        # Ports before the guarded update: a delete that wins the race either finds
        # them or makes the update fail, and both paths release them.
        network_info = ports.allocate(ctxt, uuid, host, zone, spec)
        if not instance.availability_zone:
            values["availability_zone"] = zone
        compute_instances.update(ctxt, uuid, values, expected_task_state=[TaskState.SCHEDULING])
    except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState):
        # Deleted while it was being scheduled: the delete found no host, so the claim
        # and the ports just made are ours to drop.
        LOG.info("instance %s went away while scheduling; releasing its claim", uuid)
        placement.release(ctxt, uuid)
        ports.release(ctxt, uuid)
        return
    except Exception as error:  # the ports could not be made: no host would do better
        LOG.exception("allocating the ports of %s failed", uuid)
        placement.release(ctxt, uuid)
        fail(ctxt, services, uuid, error)
        return
    services.compute.build_and_run_instance(ctxt, host, uuid, spec, alternates, attempt,
                                            network_info)


def fail(ctxt: context.RequestContext, services: Services, uuid: str,
         error: BaseException | dict) -> None:
    """ERROR with a fault: no port the build made is left, and a notification."""
    ports.release(ctxt, uuid)
    fault = error if isinstance(error, dict) else fault_of(error)
    compute_instances.set_error(ctxt, uuid, fault["code"], fault["message"],
                                fault.get("details", ""), host=None)
    compute_actions.event_finish(ctxt, uuid, ctxt.request_id or "", EVENT,
                                 compute_actions.ERROR, fault.get("details"))
    try:
        instance = compute_instances.to_dict(compute_instances.get(ctxt, uuid))
    except exceptions.InstanceNotFound:
        return
    notifications.notify_instance(ctxt, instance, "create", "error", PUBLISHER,
                                  services.host, fault=fault)
