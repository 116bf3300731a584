"""Request bodies: bounded reads, JSON parsing and JSON-schema validation, each failure a
clear 400 (or 413) before a handler touches anything."""
import json
from typing import Any

import falcon
import jsonschema

from common import exceptions
from common.config import CONF


def stream(req: falcon.Request) -> Any:
    """The body as a file-like object. A chunked body (no Content-Length) is read to its
    end from the server's own stream, which decodes the chunks: falcon's bounded_stream
    would read nothing of it."""
    return req.bounded_stream if req.content_length is not None else req.stream


def read(req: falcon.Request) -> bytes:
    """The raw body, at most ``[api] max_request_body_size`` bytes (chunked bodies too)."""
    limit = CONF.api.max_request_body_size
    data = stream(req).read(limit + 1)
    if len(data) > limit:
        raise exceptions.PayloadTooLarge(f"Request body is larger than {limit} bytes.")
    return data


def json_body(req: falcon.Request, schema: dict | None = None) -> Any:
    data = read(req)
    if not data.strip():
        raise exceptions.BadRequest("The request body is empty: a JSON document is "
                                    "expected.")
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        raise exceptions.BadRequest(f"Malformed request body: {e}") from None
    if schema is not None:
        validate(body, schema)
    return body


_VALIDATORS: dict[int, jsonschema.Draft7Validator] = {}


def validate(body: Any, schema: dict) -> None:
    validator = _VALIDATORS.get(id(schema))
    if validator is None:
        validator = _VALIDATORS[id(schema)] = jsonschema.Draft7Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        field = "/".join(str(p) for p in error.absolute_path) or "body"
        raise exceptions.BadRequest(f"Invalid input for field '{field}': {error.message}")
