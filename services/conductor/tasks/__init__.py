"""The conductor's long flows, one class per flow (build, delete, resize)."""
import traceback
from typing import Any

from common import exceptions

PUBLISHER = "strato-conductor"


def fault_of(error: BaseException) -> dict[str, Any]:
    """An instance fault {message, code, details} for an exception."""
    code = error.code if isinstance(error, exceptions.StratoError) else 500
    message = error.msg if isinstance(error, exceptions.StratoError) else str(error)
    return {"message": message or type(error).__name__, "code": code,
            "details": "".join(traceback.format_exception(error))}
