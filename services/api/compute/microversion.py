"""Compute microversions: the version a request asks for, and the headers that echo it.

A client asks with ``OpenStack-API-Version: compute 2.X`` (2.27+) or
``X-OpenStack-Nova-API-Version: 2.X``; no header means 2.1, ``latest`` the maximum.
Handlers and views compare ``version(req)`` with tuples: ``version(req) >= (2, 47)``.
"""
import re
from typing import NamedTuple

import falcon

from common import exceptions
from services.api.compute import versions

HEADER = "OpenStack-API-Version"
LEGACY_HEADER = "X-OpenStack-Nova-API-Version"
_SERVICE = "compute"
_FORMAT = re.compile(r"^([1-9]\d*)\.([1-9]\d*|0)$")


class Version(NamedTuple):
    major: int
    minor: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"


def parse(text: str) -> Version:
    match = _FORMAT.match(text.strip())
    if match is None:
        raise exceptions.BadRequest(f"API Version String {text} is of invalid format. "
                                    "Must be of format MajorNum.MinorNum.")
    return Version(int(match.group(1)), int(match.group(2)))


MIN = parse(versions.MIN_VERSION)
MAX = parse(versions.MAX_VERSION)


def _asked(req: falcon.Request) -> str | None:
    header = req.get_header(HEADER)
    if header:
        for item in header.split(","):
            service, _sep, value = item.strip().partition(" ")
            if service.lower() == _SERVICE:
                return value.strip()
    return req.get_header(LEGACY_HEADER)


def requested(req: falcon.Request) -> Version:
    asked = _asked(req)
    if not asked:
        return MIN
    if asked.lower() == "latest":
        return MAX
    wanted = parse(asked)
    if not MIN <= wanted <= MAX:
        raise falcon.HTTPNotAcceptable(
            description=f"Version {wanted} is not supported by the API. Minimum is {MIN} "
                        f"and maximum is {MAX}.")
    return wanted


def version(req: falcon.Request) -> Version:
    return getattr(req.context, "api_version", MIN)


def require(req: falcon.Request, minimum: Version) -> None:
    """A resource or method that came with ``minimum``: 404 before it, as Nova."""
    if version(req) < minimum:
        raise exceptions.NotFound("The resource could not be found.")


class MicroversionMiddleware:
    """Reads the requested version of every /compute/v2.1 request."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix + "/v2.1/"

    def process_resource(self, req: falcon.Request, _resp: falcon.Response,
                         _resource: object, _params: dict) -> None:
        if req.path.startswith(self.prefix):
            req.context.api_version = MIN  # what an invalid header's error answers with
            req.context.api_version = requested(req)


def echo(req: falcon.Request, resp: falcon.Response) -> None:
    """The version headers Nova puts on every v2.1 response."""
    current = getattr(req.context, "api_version", None)
    if current is None:
        return
    resp.set_header(HEADER, f"{_SERVICE} {current}")
    resp.set_header(LEGACY_HEADER, str(current))
    resp.append_header("Vary", f"{HEADER}, {LEGACY_HEADER}")
