"""Who may touch the database, and when: the rules the session layer and the bus enforce.

Two rules, kept here (not in ``common.db``) so that the agents, which must not import
the database layer, and the bus can check them:

- the agents (compute, network, dns) reach the database only through the conductor:
  their processes call ``forbid()`` at start and any engine they open raises
  ``DatabaseNotAllowed``;
- no RPC call, cast or notification is sent while this thread holds a transaction: a
  transaction must last only as long as the database work it guards, never as long as
  a broker round trip (on SQLite a writer holds the database's one write lock).
"""
import threading

from common import exceptions

_state = threading.local()
_forbidden_for: str | None = None


def forbid(binary: str) -> None:
    """From now on this process may not open a database (it is agent ``binary``)."""
    global _forbidden_for
    _forbidden_for = binary


def allow() -> None:
    """Lift ``forbid`` (for the tests that check it)."""
    global _forbidden_for
    _forbidden_for = None


def check_allowed() -> None:
    if _forbidden_for is not None:
        raise exceptions.DatabaseNotAllowed(binary=_forbidden_for)


def entered() -> None:
    """This thread opened its outermost transaction."""
    _state.open = True


def left() -> None:
    _state.open = False


def in_transaction() -> bool:
    return getattr(_state, "open", False)


def check_no_transaction(what: str) -> None:
    """Raise if this thread holds a transaction: ``what`` (an RPC) must come after it."""
    if in_transaction():
        raise exceptions.RPCInsideTransaction(what=what)
