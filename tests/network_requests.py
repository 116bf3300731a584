"""The network domain modules (common/db/api/network*.py) called the way the API's
handlers call them (services.api.network.resources): every create and update body is
parsed by its resource's schema first, and every resource comes back rendered as the
API shows it, lists filtered, sorted and paged as the API does. A test so sends what a
client would send and reads what a client would read, without HTTP.

``from tests.network_requests import network_ports as ports`` gives ``ports.create_port
(ctxt, body)``, ``ports.list_ports(ctxt, filters=...)``; the module's other functions
are its own."""
import types
from collections.abc import Callable
from typing import Any

from common.db.api import network as _network
from common.db.api import network_floatingips as _floatingips
from common.db.api import network_ports as _ports
from common.db.api import network_routers as _routers
from common.db.api import network_security_groups as _security_groups
from common.db.api import network_subnets as _subnets
from services.api.network import KINDS, resources
from services.api.network.query import ListQuery

_BY_SINGULAR = {kind.singular: kind for kind in KINDS.values()}
_BY_PLURAL = {kind.plural: kind for kind in KINDS.values()}


def _list(kind: resources.Kind) -> Callable[..., list[dict]]:
    def call(ctxt: Any, filters: dict | None = None, sorts: list | None = None,
             limit: int | None = None, marker: str | None = None,
             page_reverse: bool = False) -> list[dict]:
        found = ListQuery(filters=dict(filters or {}), sorts=list(sorts or []),
                          limit=limit, marker=marker, page_reverse=page_reverse)
        return resources.index(ctxt, kind, found)
    return call


def _as_the_api_calls(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    verb, _, noun = name.partition("_")
    one, many = _BY_SINGULAR.get(noun), _BY_PLURAL.get(noun)
    if verb == "create" and one:
        return lambda ctxt, body: resources.create(ctxt, one, body)
    if verb == "create" and many:
        return lambda ctxt, bodies: resources.create_many(ctxt, many, bodies)
    if verb == "update" and one:
        return lambda ctxt, resource_id, body: resources.update(ctxt, one, resource_id,
                                                                body)
    if verb == "get" and one:
        return lambda ctxt, resource_id: resources.show(ctxt, one, resource_id)
    if verb == "list" and many:
        return _list(many)
    return func


def _requests(module: types.ModuleType) -> types.SimpleNamespace:
    return types.SimpleNamespace(**{
        name: _as_the_api_calls(name, value) if callable(value) else value
        for name, value in vars(module).items() if not name.startswith("__")})


network = _requests(_network)
network_subnets = _requests(_subnets)
network_ports = _requests(_ports)
network_routers = _requests(_routers)
network_floatingips = _requests(_floatingips)
network_security_groups = _requests(_security_groups)
