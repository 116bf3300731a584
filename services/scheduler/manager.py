"""Server side of the scheduler's RPC API."""
import oslo_messaging as messaging

from common.manager import Manager


class SchedulerManager(Manager):
    target = messaging.Target(version="1.0")
