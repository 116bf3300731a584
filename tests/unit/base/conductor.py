"""A whole compute control plane in one test process, on the fake:// bus: a conductor,
schedulers, and compute agents with the fake driver, plus the calls the api makes
(create rows, begin an action, cast one RPC), so tests drive it like the api will."""
import unittest

from common import context, notifications, rpc
from common.compute_states import VMState
from common.db.api import compute_instances, placement
from common.db.api import services as services_db
from common.service import Service
from services.compute import manager as compute_manager
from services.compute import rpcapi as compute_rpcapi
from services.compute.virt import fake
from services.conductor import manager as conductor_manager
from services.conductor import rpcapi as conductor_rpcapi
from services.scheduler import manager as scheduler_manager
from tests.unit.base import SYSTEM
from tests.unit.base import scheduler as fakes
from tests.unit.base.network import ADMIN


class NotificationCollector:
    """Records (event_type, payload) of every notification on the bus."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []

    def info(self, ctxt, publisher_id, event_type, payload, metadata) -> None:
        self.events.append((event_type, payload))

    error = info

    def types_for(self, uuid: str) -> list[str]:
        return [event for event, payload in self.events
                if payload["nova_object.data"]["uuid"] == uuid]


class Cloud:
    def __init__(self, test: unittest.TestCase, hosts: list[str], schedulers: int = 1,
                 drivers: dict | None = None) -> None:
        """Fake-driver hosts ``hosts``, unless ``drivers`` gives a host another driver."""
        self.test = test
        self.ctxt = context.RequestContext(user_id=fakes.USER, project_id=fakes.PROJECT,
                                           roles=["member"])
        self.drivers = {host: (drivers or {}).get(host) or fake.FakeDriver() for host in hosts}
        self.computes: dict[str, compute_manager.ComputeManager] = {}
        self._compute_services: dict[str, Service] = {}
        self.notifications = NotificationCollector()
        test.addCleanup(notifications.reset)
        listener = rpc.get_notification_listener([self.notifications], pool="tests")
        listener.start()
        test.addCleanup(lambda: (listener.stop(), listener.wait()))
        self._start(Service("strato-conductor", conductor_rpcapi.TOPIC,
                            conductor_manager.ConductorManager("conductor"),
                            services_db.heartbeat, host="conductor"))
        for index in range(schedulers):
            self._start(Service("strato-scheduler", "scheduler",
                                scheduler_manager.SchedulerManager(f"scheduler{index}"),
                                services_db.heartbeat, host=f"scheduler{index}"))
        test.addCleanup(lambda: [service.stop() for service in
                                 list(self._compute_services.values())])
        for host in self.drivers:
            self._start_compute(host)
        self.conductor = conductor_rpcapi.ConductorAPI()
        self.compute = compute_rpcapi.ComputeAPI()
        test.wait_until(lambda: {p.name for p in placement.list_providers(SYSTEM)} >= set(hosts)
                        and all(services_db.list_services(ADMIN, host=h) for h in hosts),
                        timeout=30, message="compute hosts reported")

    def _start(self, service: Service) -> None:
        service.start()
        self.test.addCleanup(service.stop)

    def _start_compute(self, host: str) -> None:
        manager = compute_manager.ComputeManager(host, driver=self.drivers[host])
        self.computes[host] = manager
        self._compute_services[host] = Service(
            "strato-compute", compute_rpcapi.TOPIC, manager,
            conductor_rpcapi.heartbeat_reporter(), host=host)
        self._compute_services[host].start()

    def stop_compute(self, host: str) -> None:
        """``host``'s agent gone, its guests left as they are (a dead agent)."""
        self._compute_services.pop(host).stop()

    def start_compute(self, host: str) -> compute_manager.ComputeManager:
        self._start_compute(host)
        return self.computes[host]

    def restart_compute(self, host: str) -> compute_manager.ComputeManager:
        """Stop ``host``'s agent and start a new one on the same guests, as a restarted
        process: a new manager that knows nothing but what the conductor tells it."""
        self._compute_services[host].stop()
        self._start_compute(host)
        return self.computes[host]

    # --- what the api does ---------------------------------------------------------------

    def boot(self, flavor: dict | None = None, count: int = 1, group_uuid: str | None = None,
             **spec_args) -> list[str]:
        flavor = flavor or fakes.flavor()
        uuids = [fakes.create_instance(flavor, group_uuid=group_uuid,
                                       request_id=self.ctxt.request_id) for _ in range(count)]
        self.conductor.build_instances(self.ctxt, uuids,
                                       fakes.request_spec(flavor, group_uuid, **spec_args))
        return uuids

    def begin(self, uuid: str, action: str, **values) -> dict:
        instance = compute_instances.begin_action(SYSTEM, uuid, action, self.ctxt.request_id,
                                                          fakes.USER, fakes.PROJECT, values)
        return compute_instances.to_dict(instance)

    def act(self, uuid: str, action: str, method: str, **kwargs) -> None:
        """begin_action + cast the compute RPC, as the api's server actions do."""
        instance = self.begin(uuid, action)
        getattr(self.compute, method)(self.ctxt, instance["host"], uuid, **kwargs)

    def delete(self, uuid: str) -> None:
        self.begin(uuid, "delete")
        self.conductor.delete_instance(self.ctxt, uuid)

    # --- observing -------------------------------------------------------------------------

    def instance(self, uuid: str, read_deleted: str = "yes"):
        return compute_instances.get(SYSTEM, uuid, read_deleted=read_deleted)

    def wait_for(self, uuid: str, vm_state: str, task_state: object = None,
                 timeout: float = 15) -> None:
        def reached() -> bool:
            instance = self.instance(uuid)
            return instance.vm_state == vm_state and instance.task_state == task_state

        self.test.wait_until(reached, timeout=timeout,
                             message=f"instance {uuid} {vm_state}/{task_state}")

    def wait_active(self, *uuids: str, timeout: float = 15) -> None:
        for uuid in uuids:
            self.wait_for(uuid, VMState.ACTIVE, timeout=timeout)

    def wait_deleted(self, uuid: str, timeout: float = 15) -> None:
        self.test.wait_until(lambda: self.instance(uuid).deleted, timeout=timeout,
                             message=f"instance {uuid} deleted")
