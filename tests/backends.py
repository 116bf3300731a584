"""The one place a test says it needs a backend it cannot run without.

A missing backend skips the test on a developer's laptop and fails it under
STRATO_TEST_REQUIRE_BACKENDS (set by .ci/run), so CI never goes green by skipping.
"""
import os
import shutil
import unittest
from typing import NoReturn


def backend_missing(reason: str) -> NoReturn:
    """Skip the test for a missing backend (fail it under STRATO_TEST_REQUIRE_BACKENDS)."""
    if os.environ.get("STRATO_TEST_REQUIRE_BACKENDS"):
        raise RuntimeError(f"{reason} (STRATO_TEST_REQUIRE_BACKENDS is set)")
    raise unittest.SkipTest(reason)


def require_binaries(*binaries: str) -> None:
    missing = [binary for binary in binaries if shutil.which(binary) is None]
    if missing:
        backend_missing(f"binaries missing: {', '.join(missing)}")


def require_module(module: object, package: str) -> None:
    """``module`` is what an optional ``import`` gave (None when it failed)."""
    if module is None:
        backend_missing(f"{package} is not installed")


def require_root(what: str) -> None:
    if os.geteuid() != 0:
        backend_missing(f"{what} need root")
