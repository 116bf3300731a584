"""Flows a dead conductor left half done, done again.

A conductor killed mid-flow (or a cast lost with it: RPC casts are acknowledged when
received) leaves an instance SCHEDULING or DELETING with nobody working on it, or a
claim or port made for an instance that a delete finished meanwhile. Every conductor
releases those, and sweeps for instances unchanged in those states for [conductor]
interrupted_task_timeout seconds, takes each with a compare-and-swap on its task state
(so two conductors never redo the same flow), and runs the flow again from its start:
both flows are idempotent from there. Flows on a compute host are the agent's own to
recover when it restarts.
"""
from oslo_log import log as logging

from common import exceptions
from common.compute_states import TaskState
from common.config import CONF
from common.db.api import compute_instances, placement
from services.conductor.tasks import build, delete, ports
from services.conductor.tasks.base import TaskBase

LOG = logging.getLogger(__name__)


class RecoverTask(TaskBase):
    def _execute(self) -> None:
        timeout = CONF.conductor.interrupted_task_timeout
        for uuid in compute_instances.stale(self.ctxt, [TaskState.SCHEDULING], timeout):
            if self._take(uuid, TaskState.SCHEDULING, {"host": None, "node": None}):
                self._rebuild(uuid)
        for uuid in compute_instances.stale(self.ctxt, [TaskState.DELETING], timeout):
            if self._take(uuid, TaskState.DELETING, {}):
                LOG.warning("instance %s has been deleting for over %ss: deleting again",
                            uuid, timeout)
                delete.DeleteTask(self.ctxt, self.services, uuid).execute()
        for uuid in compute_instances.deleted_holding_resources(self.ctxt):
            LOG.warning("deleted instance %s still holds a claim or a port: releasing", uuid)
            placement.release(self.ctxt, uuid)
            ports.release(self.ctxt, uuid)

    def _take(self, uuid: str, task_state: str, values: dict) -> bool:
        """Whether this conductor won ``uuid`` (its task state unchanged, its clock
        restarted); a flow that moved on meanwhile is left alone."""
        try:
            compute_instances.update(self.ctxt, uuid, values, expected_task_state=[task_state])
        except (exceptions.InstanceNotFound, exceptions.UnexpectedTaskState):
            return False
        return True

    def _rebuild(self, uuid: str) -> None:
        """Schedule again from nothing: what the lost flow claimed or made is dropped
        first, so nothing is held twice."""
        spec = compute_instances.get_request_spec(self.ctxt, uuid)
        placement.release(self.ctxt, uuid)
        ports.release(self.ctxt, uuid)
        if not spec:
            error = exceptions.StratoError("the build was interrupted before its request "
                                           "was recorded")
            LOG.warning("instance %s: %s", uuid, error)
            build.fail(self.ctxt, self.services, uuid, error)
            return
        LOG.warning("instance %s has been scheduling for over %ss: scheduling again",
                    uuid, CONF.conductor.interrupted_task_timeout)
        build.BuildTask(self.ctxt, self.services, [uuid], spec).execute()
