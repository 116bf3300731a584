"""Glance's JSON patch on an image: RFC 6902 operations ({"op", "path", "value"}) with
application/openstack-images-v2.1-json-patch, and the older draft form
({"replace": "/name", "value"}) with the v2.0 media type, which Glance accepts too.

The document patched holds what a client may change: the BASE attributes and the extra
properties, flat. Read-only attributes are 403; removing a base attribute is 403;
replacing or removing an extra property that is not there is 409, as in Glance.
"""
from typing import Any

from common import exceptions
from services.api.image import schemas

MEDIA_TYPES = ("application/openstack-images-v2.1-json-patch",
               "application/openstack-images-v2.0-json-patch")
_OPS = ("add", "replace", "remove")


def _normal(op: object) -> dict:
    """An operation in RFC 6902 form, whichever form it came in."""
    if isinstance(op, dict) and "op" not in op:
        named = [name for name in _OPS if name in op]
        if len(named) == 1:
            return {**op, "op": named[0], "path": op[named[0]]}
    if not isinstance(op, dict) or op.get("op") not in _OPS:
        raise exceptions.BadRequest(f"Operations must be JSON objects with 'op' one of "
                                    f"{', '.join(_OPS)}: {op!r}")
    return op


def _attribute(op: dict) -> str:
    path = op.get("path")
    if not isinstance(path, str) or not path.startswith("/") or path.count("/") != 1:
        raise exceptions.BadRequest(f"Invalid JSON pointer for this resource: {path!r}")
    name = path[1:].replace("~1", "/").replace("~0", "~")
    if not name:
        raise exceptions.BadRequest("Invalid JSON pointer for this resource: '/'")
    return name


def apply(document: dict[str, Any], operations: Any) -> dict[str, Any]:
    """The document after ``operations``; the input is left untouched."""
    if not isinstance(operations, list):
        raise exceptions.BadRequest("Request body must be a JSON array of operation "
                                    "objects.")
    result = dict(document)
    for op in map(_normal, operations):
        name = _attribute(op)
        if name in schemas.READ_ONLY or name == "id":
            raise exceptions.Forbidden(f"Attribute '{name}' is read-only.")
        if op["op"] == "remove":
            _remove(result, name)
            continue
        if "value" not in op:
            raise exceptions.BadRequest(f"Operation '{op['op']}' on {name} needs a "
                                        "'value'.")
        if op["op"] == "replace" and name not in schemas.BASE and name not in result:
            raise exceptions.Conflict(f"Property {name} does not exist.")
        result[name] = op["value"]
    return result


def _remove(document: dict[str, Any], name: str) -> None:
    if name in schemas.BASE:
        raise exceptions.Forbidden(f"Attribute '{name}' is reserved and cannot be "
                                   "removed.")
    if name not in document:
        raise exceptions.Conflict(f"Property {name} does not exist.")
    del document[name]
