"""Server side of the scheduler's RPC API: select_destinations and cache invalidation.

Any number of schedulers serve topic 'scheduler' as competing consumers; within one
process selections run one at a time (they are short), across processes the claims'
generation checks keep them honest.
"""
import threading

import oslo_messaging as messaging

from common import context
from common.manager import Manager
from services.scheduler import host_state, selector


class SchedulerManager(Manager):
    target = messaging.Target(version="1.0")

    def __init__(self, host: str) -> None:
        super().__init__(host)
        self.cache = host_state.HostStateCache()
        self.selector = selector.Selector(self.cache)
        self._lock = threading.Lock()

    def select_destinations(self, ctxt: context.RequestContext, request_spec: dict,
                            instance_uuids: list[str],
                            return_alternates: bool = True) -> list[list[dict]]:
        with self._lock:
            return self.selector.select(ctxt, request_spec, instance_uuids, return_alternates)

    def sync_host_metadata(self, ctxt: context.RequestContext) -> None:
        self.cache.invalidate_metadata()
