"""Instance faults: how an exception is recorded against the instance it failed."""
import traceback
from typing import Any

from common import exceptions


def fault_of(error: BaseException) -> dict[str, Any]:
    """An instance fault {message, code, details} for an exception."""
    code = error.code if isinstance(error, exceptions.StratoError) else 500
    message = error.msg if isinstance(error, exceptions.StratoError) else str(error)
    return {"message": message or type(error).__name__, "code": code,
            "details": "".join(traceback.format_exception(error))}
