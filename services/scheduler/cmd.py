"""strato-scheduler: serve the scheduler on topic 'scheduler'."""
from common import launch
from common.db.api import services as services_db
from services.scheduler import manager, rpcapi


def main() -> None:
    launch.main("strato-scheduler", rpcapi.TOPIC, manager.SchedulerManager,
                lambda: services_db.heartbeat)
