"""Nova's extra-spec matching operators: ``"<op> value"`` requirements against a value.

No operator means string equality; ``=`` is a numeric "at least", ``==``, ``!=``,
``>=``, ``<=`` numeric compares; ``s==`` etc. compare strings, ``<in>`` is a substring
test, ``<or>`` accepts any of several values.
"""
import operator
from collections.abc import Callable

_NUMERIC: dict[str, Callable[[float, float], bool]] = {
    "=": operator.ge, "==": operator.eq, "!=": operator.ne, ">=": operator.ge,
    "<=": operator.le,
}
_STRING: dict[str, Callable[[str, str], bool]] = {
    "s==": operator.eq, "s!=": operator.ne, "s<": operator.lt, "s<=": operator.le,
    "s>": operator.gt, "s>=": operator.ge,
}


def match(value: str, requirement: str) -> bool:
    """Whether ``value`` (a host's) meets ``requirement`` (a flavor's)."""
    words = requirement.split()
    if not words:
        return value == requirement
    op, args = words[0], words[1:]
    if op == "<in>":
        return bool(args) and args[0] in value
    if op == "<all-in>":
        return all(arg in value for arg in args)
    if op == "<or>":
        return value in args[::2]  # "<or> a <or> b": the values are every other word
    if op in _STRING:
        return bool(args) and _STRING[op](value, args[0])
    if op in _NUMERIC:
        try:
            return bool(args) and _NUMERIC[op](float(value), float(args[0]))
        except ValueError:
            return False
    return value == requirement
