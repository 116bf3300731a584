"""An OpenAPI 3 document per API, generated from what the app serves: the routes (every
URI template and the methods its resource answers) and the JSON schemas the responders
validate request bodies with (``body.json_body(req, SCHEMA)`` / ``body.validate(value,
SCHEMA)``, read from their source). A responder whose schema is built at request time
(a microversion's) is documented as taking any JSON object. Every 4xx answer is
documented in the API's own error format, so a fuzzer can hold the API to it.
"""
import ast
import functools
import inspect
import re
import textwrap
from collections.abc import Iterator
from typing import Any

import falcon

from services.api.spec import APISpec

# The calls whose second argument is a request-body schema.
_VALIDATING_CALLS = {"json_body", "validate"}
_BODY_METHODS = {"POST", "PUT", "PATCH"}
_FIELD = re.compile(r"{(\w+)(?::[^}]*)?}")


def routes(app: falcon.App) -> Iterator[tuple[str, dict[str, Any]]]:
    """(URI template, {METHOD: responder}) of every route the app serves."""
    def walk(nodes: list) -> Iterator[tuple[str, dict[str, Any]]]:
        for node in nodes:
            if node.resource is not None:
                served = {method: responder for method, responder in node.method_map.items()
                          if not _is_falcon_default(responder)}
                if served:
                    yield node.uri_template, served
            yield from walk(node.children)
    yield from walk(app._router._roots)


def _is_falcon_default(responder: Any) -> bool:
    """falcon's own 405 and OPTIONS responders, set for the methods a resource lacks."""
    return getattr(responder, "__module__", "").split(".")[0] == "falcon"


@functools.cache
def _body_schema(responder: Any) -> dict | None:
    """The first module-level schema the responder validates its body with, if any."""
    function = inspect.unwrap(getattr(responder, "__func__", responder))
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError, SyntaxError):
        return None
    namespace = function.__globals__
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and len(node.args) >= 2
                and getattr(node.func, "attr", getattr(node.func, "id", None))
                in _VALIDATING_CALLS):
            schema = _resolve(node.args[1], namespace)
            if isinstance(schema, dict):
                return schema
    return None


def _resolve(node: ast.expr, namespace: dict) -> Any:
    """The value of ``NAME`` or ``module.NAME`` in ``namespace``; None otherwise."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _resolve(node.value, namespace)
        return getattr(owner, node.attr, None) if owner is not None else None
    return None


def _operation(api: APISpec, template: str, method: str, responder: Any) -> dict:
    operation: dict[str, Any] = {
        "operationId": f"{method.lower()} {template}",
        "responses": {
            "default": {"description": "The API's answer."},
            "4XX": {"description": f"An error in the {api.name} API's format.",
                    "content": {"application/json": {"schema": api.error_schema}}}}}
    parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
                  for name in _FIELD.findall(template)]
    if parameters:
        operation["parameters"] = parameters
    if method in _BODY_METHODS:
        schema = _body_schema(responder) or {"type": "object"}
        operation["requestBody"] = {"content": {"application/json": {"schema": schema}}}
    return operation


def document(app: falcon.App, api: APISpec, server_url: str = "") -> dict:
    """The OpenAPI 3.0 document of ``api`` as ``app`` serves it."""
    paths: dict[str, dict] = {}
    for template, served in routes(app):
        if template != api.prefix and not template.startswith(api.prefix + "/"):
            continue
        path = _FIELD.sub(r"{\1}", template)
        paths[path] = {method.lower(): _operation(api, template, method, responder)
                       for method, responder in sorted(served.items())
                       if method not in ("HEAD", "OPTIONS")}
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Strato {api.name} API", "version": "1",
                 "description": "Generated from the routes and request schemas Strato "
                                "serves; authenticate with X-Auth-Token."},
        "servers": [{"url": server_url or "/"}],
        "components": {"securitySchemes": {"token": {
            "type": "apiKey", "in": "header", "name": "X-Auth-Token"}}},
        "security": [{"token": []}],
        "paths": {path: operations for path, operations in sorted(paths.items())
                  if operations},
    }


class Document:
    """GET {api}/openapi.json: made once, at the first request (every route exists)."""

    public_methods = frozenset({"GET"})

    def __init__(self, app: falcon.App, api: APISpec) -> None:
        self.app = app
        self.api = api
        self._document: dict | None = None

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        if self._document is None:
            self._document = document(self.app, self.api,
                                      f"{req.scheme}://{req.netloc}")
        resp.media = self._document
