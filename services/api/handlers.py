"""Small helpers every handler uses: the caller's context and typed query parameters."""
import falcon

from common import context, exceptions

_TRUE = {"true", "1", "yes", "on", ""}
_FALSE = {"false", "0", "no", "off"}


def ctx(req: falcon.Request) -> context.RequestContext:
    return req.context.ctx


def query(req: falcon.Request, name: str) -> str | None:
    value = req.get_param(name)
    return value if value is None or isinstance(value, str) else value[-1]


def query_bool(req: falcon.Request, name: str) -> bool | None:
    """A boolean query parameter; a bare ``?name`` counts as true, as in Keystone."""
    if name not in req.params:
        return None
    value = (query(req, name) or "").lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise exceptions.BadRequest(f"Invalid value {value!r} for {name}: expected a boolean.")
