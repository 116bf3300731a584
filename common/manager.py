"""Base of every service's manager (the RPC server side) and its periodic tasks."""
import inspect
from collections.abc import Callable
from typing import Any

import oslo_messaging as messaging

from common import context

Spacing = float | Callable[[], float]


def periodic(spacing: Spacing, run_immediately: bool = False) -> Callable:
    """Mark a manager method ``method(self, ctxt)`` to run every ``spacing`` seconds.

    ``spacing`` may be a callable so it follows config changes without a restart.
    """

    def decorator(func: Callable) -> Callable:
        marked: Any = func  # a function object takes attributes; mypy's Callable does not
        marked._periodic_spacing = spacing
        marked._periodic_run_immediately = run_immediately
        return func

    return decorator


class Manager:
    """One method per RPC of the service; the launcher serves it on the service's topic."""

    target = messaging.Target(version="1.0")

    def __init__(self, host: str) -> None:
        self.host = host

    def endpoints(self) -> list[Any]:
        """Objects the RPC server dispatches to; a manager may add namespaced endpoints."""
        return [self]

    def init_host(self) -> None:
        """Called once before the RPC server starts."""

    def cleanup_host(self) -> None:
        """Called once after the RPC server stopped and in-flight RPCs finished."""

    def reachable_again(self, ctxt: context.RequestContext) -> None:
        """Called when a heartbeat got through after none had for longer than
        ``service_down_time``: meanwhile others judged this host down and may have
        acted without it (the conductor deletes a down host's instances itself)."""

    def periodic_tasks(self) -> list[tuple[Callable[[Any], None], Spacing, bool]]:
        tasks: list[tuple[Callable[[Any], None], Spacing, bool]] = []
        for _name, method in inspect.getmembers(self, inspect.ismethod):
            spacing = getattr(method, "_periodic_spacing", None)
            if spacing is not None:
                tasks.append((method, spacing, getattr(method, "_periodic_run_immediately", False)))
        return tasks
