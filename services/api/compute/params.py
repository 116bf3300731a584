"""Request values Nova accepts loosely: integers given as strings, booleans as words,
UUIDs and IP addresses checked, each bad value a 400 naming the field."""
import ipaddress
import uuid
from typing import Any

from common import exceptions

_TRUE = ("1", "t", "true", "on", "y", "yes")
_FALSE = ("0", "f", "false", "off", "n", "no")
# Nova's parameter_types.boolean: JSON booleans and their usual spellings.
BOOLEAN = {"type": ["boolean", "string"],
           "enum": [True, False, "True", "TRUE", "true", "1", "ON", "On", "on", "YES", "Yes",
                    "yes", "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No",
                    "no"]}


def integer(name: str, value: Any, minimum: int | None = None,
            maximum: int = 2**31 - 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise exceptions.BadRequest(f"Invalid input for field/attribute {name}. Value: "
                                    f"{value}. It must be an integer.")
    try:
        number = int(value)
    except ValueError:
        raise exceptions.BadRequest(f"Invalid input for field/attribute {name}. Value: "
                                    f"{value}. It must be an integer.") from None
    if (minimum is not None and number < minimum) or number > maximum:
        raise exceptions.BadRequest(f"Invalid input for field/attribute {name}. Value: "
                                    f"{value}. It must be between {minimum} and "
                                    f"{maximum}.")
    return number


def boolean(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise exceptions.BadRequest(f"Invalid value '{value}' for {name}: a boolean is "
                                "expected.")


def is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def ip_address(name: str, value: Any, version: int) -> str:
    """The address in its canonical form (IPv6 compressed, as Nova stores it)."""
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        address = None
    if address is None or address.version != version:
        raise exceptions.BadRequest(f"Invalid input for field/attribute {name}. Value: "
                                    f"{value}. '{value}' is not a 'ipv{version}'")
    return str(address)
