"""What one API (identity, compute, ...) plugs into the app: its prefix, routes, error
format, policies and response headers."""
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import falcon
from oslo_policy import policy


@dataclass(frozen=True)
class APIError:
    """An error on its way out, whatever raised it."""

    status: int
    title: str  # the HTTP reason phrase, e.g. "Not Found"
    message: str
    error: BaseException

    @property
    def type_name(self) -> str:
        """The raising exception's class name (Neutron and Designate show it)."""
        return type(self.error).__name__


@dataclass(frozen=True)
class APISpec:
    name: str
    prefix: str  # "/compute": every route of the API lives below it
    add_routes: Callable[[falcon.App, str], None]  # (app, prefix)
    error_body: Callable[[APIError], Any]  # the JSON body of an error, in this API's format
    # The JSON schema of error_body's bodies, and where the OpenAPI document is served
    # (below prefix, e.g. "/v2.1/openapi.json").
    error_schema: dict = field(default_factory=dict)
    openapi_path: str = ""
    policies: Sequence[policy.RuleDefault] = ()
    # Extra headers on every response of this API, e.g. Nova's x-compute-request-id.
    response_headers: Callable[[falcon.Request, falcon.Response], None] | None = None
    # Middleware components that apply to this API's requests only.
    middleware: Sequence[Any] = field(default_factory=tuple)
