"""The DB layer's one signature convention, checked: a function of common/db/api that
opens a session (an entry point a service calls) takes the request context first and
returns no ORM row. Building blocks that run inside a caller's transaction take the
session first instead; pure helpers open none."""
import importlib
import inspect
import pkgutil
import typing
import unittest
from collections.abc import Callable, Iterator

import common.db.api
from common.db import models

_OPENS_A_SESSION = ("session.reader(", "session.transaction(", "get_engine().connect(")


def _entry_points(module_name: str) -> Iterator[tuple[str, Callable]]:
    module = importlib.import_module(f"common.db.api.{module_name}")
    for name, func in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(func) \
                or func.__module__ != module.__name__:
            continue
        source = inspect.getsource(inspect.unwrap(func))
        if any(opens in source for opens in _OPENS_A_SESSION):
            yield name, func


def _has_row(annotation: object) -> bool:
    if isinstance(annotation, type) and issubclass(annotation, models.base.Base):
        return True
    return any(_has_row(arg) for arg in typing.get_args(annotation))


class BoundaryTest(unittest.TestCase):
    def test_entry_points_take_the_context_first_and_return_no_rows(self) -> None:
        modules = [info.name for info in pkgutil.iter_modules(common.db.api.__path__)]
        for module_name in sorted(modules):
            for name, func in _entry_points(module_name):
                with self.subTest(function=f"{module_name}.{name}"):
                    first = next(iter(inspect.signature(func).parameters), None)
                    self.assertEqual("ctxt", first)
                    self.assertFalse(_has_row(typing.get_type_hints(func).get("return")))
