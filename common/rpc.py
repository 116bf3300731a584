"""The message bus: oslo.messaging transports, RPC clients and servers, notifications.

Transports come from ``[DEFAULT] transport_url``. They are made lazily and per process,
because gunicorn forks workers after the master has started: a connection must never
cross a fork. Quorum queues and heartbeats are oslo.messaging's own
``[oslo_messaging_rabbit]`` options (``rabbit_quorum_queue``, ``heartbeat_timeout_threshold``,
``heartbeat_rate``), listed in the sample config.
"""
import functools
import inspect
import os
import threading
from typing import Any

import oslo_messaging as messaging
from oslo_config import cfg
from oslo_log import log as logging
from oslo_messaging._tracing import client as tracing_client

from common import context as strato_context
from common import db_access, exceptions, version
from common.config import CONF

LOG = logging.getLogger(__name__)

NOTIFICATIONS_TOPIC = "notifications"
BASE_NAMESPACE = "baseapi"
BASE_VERSION = "1.0"

_lock = threading.Lock()
_transports: dict[tuple[int, str], messaging.Transport] = {}


def _reset_lock_after_fork() -> None:
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_lock_after_fork)


class RequestContextSerializer(messaging.NoOpSerializer):
    """Carries a RequestContext (request id, user, project, roles) across the bus.

    Every call, cast and notification passes here on its way out: the one place to
    refuse a message sent while the sending thread holds a database transaction."""

    def serialize_context(self, ctxt: Any) -> dict[str, Any]:
        db_access.check_no_transaction("an RPC message or notification")
        return ctxt.to_dict()

    def deserialize_context(self, ctxt: dict[str, Any]) -> strato_context.RequestContext:
        return strato_context.RequestContext.from_dict(ctxt)


def _register_library_opts(conf: cfg.ConfigOpts) -> None:
    # oslo.messaging registers its tracing options on the global CONF only; register
    # them on whichever object we use so client.call() never hits NoSuchOptError.
    if "oslo_messaging_tracing" not in conf:
        conf.register_opts(tracing_client.oslo_messaging_tracing,
                           group="oslo_messaging_tracing")


def _transport(kind: str) -> messaging.Transport:
    key = (os.getpid(), kind)
    with _lock:
        if key not in _transports:
            _register_library_opts(CONF)
            if kind == "rpc":
                # Strato's own exceptions cross the bus as themselves (NoValidHost,
                # InstanceNotFound, ...), not as a generic RemoteError.
                _transports[key] = messaging.get_rpc_transport(
                    CONF, allowed_remote_exmods=["common.exceptions"])
            else:
                _transports[key] = messaging.get_notification_transport(CONF)
        return _transports[key]


def cleanup() -> None:
    """Close this process's transports (on shutdown, or between tests)."""
    with _lock:
        for key in [k for k in _transports if k[0] == os.getpid()]:
            _transports.pop(key).cleanup()


def get_client(topic: str, version: str, server: str | None = None,
               timeout: float | None = None) -> messaging.RPCClient:
    target = messaging.Target(topic=topic, version=version, server=server)
    return messaging.get_rpc_client(_transport("rpc"), target, timeout=timeout,
                                    serializer=RequestContextSerializer())


# Errors that say "not now" rather than "wrong": the database or a peer service is down
# or slow. The work is retried (by the caller, the next period or the reconcile loops),
# so they are logged as warnings without a traceback.
TRANSIENT_ERRORS = (exceptions.DatabaseUnavailable, messaging.MessagingTimeout,
                    messaging.MessageDeliveryFailure)


class _ClientErrorsExpected:
    """An endpoint whose client errors (a StratoError with a 4xx code: an instance
    deleted meanwhile, a lost compare-and-swap), NoValidHost (a full cloud is an answer,
    not a fault of the scheduler) and transient errors (a database that is
    down) travel back to the caller as answers. The RPC server logs them at debug;
    without this it logs each one at ERROR with a traceback, though the caller handles
    it as a normal outcome."""

    def __init__(self, endpoint: Any) -> None:
        self._endpoint = endpoint

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._endpoint, name)
        if name.startswith("_") or not inspect.isroutine(attribute):
            return attribute

        @functools.wraps(attribute)
        def dispatch(*args: Any, **kwargs: Any) -> Any:
            try:
                return attribute(*args, **kwargs)
            except TRANSIENT_ERRORS as error:
                LOG.warning("%s: %s", name, error)
                raise messaging.ExpectedException() from error
            except exceptions.StratoError as error:
                if 400 <= error.code < 500 or isinstance(error, exceptions.NoValidHost):
                    raise messaging.ExpectedException() from error
                raise

        setattr(self, name, dispatch)  # made once: the dispatcher looks it up per message
        return dispatch


def get_server(topic: str, server: str, endpoints: list[Any]) -> messaging.MessageHandlingServer:
    target = messaging.Target(topic=topic, server=server)
    return messaging.get_rpc_server(
        _transport("rpc"), target, [_ClientErrorsExpected(e) for e in endpoints],
        executor="threading",
        serializer=RequestContextSerializer(),
        access_policy=messaging.DefaultRPCAccessPolicy)


def get_notifier(publisher_id: str) -> messaging.Notifier:
    return messaging.Notifier(_transport("notification"), publisher_id=publisher_id,
                              driver="messagingv2", topics=[NOTIFICATIONS_TOPIC],
                              serializer=RequestContextSerializer())


def get_notification_listener(endpoints: list[Any], pool: str) -> messaging.MessageHandlingServer:
    targets = [messaging.Target(topic=NOTIFICATIONS_TOPIC)]
    return messaging.get_notification_listener(
        _transport("notification"), targets, endpoints, executor="threading",
        serializer=RequestContextSerializer(), pool=pool)


class BaseEndpoint:
    """RPCs every service answers, whatever its own API: ``ping``."""

    target = messaging.Target(namespace=BASE_NAMESPACE, version=BASE_VERSION)

    def __init__(self, binary: str, host: str) -> None:
        self.binary = binary
        self.host = host

    def ping(self, ctxt: strato_context.RequestContext) -> dict[str, str]:
        return {"binary": self.binary, "host": self.host,
                "version": version.version_string()}


def ping(topic: str, server: str, timeout: float = 10) -> dict[str, str]:
    """Ask one service (topic + host) who it is; raises MessagingTimeout if nobody answers."""
    client = get_client(topic, BASE_VERSION, server=server, timeout=timeout)
    client = client.prepare(namespace=BASE_NAMESPACE)
    return client.call(strato_context.get_admin_context(), "ping")
