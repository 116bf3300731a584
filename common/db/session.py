"""Engines and transactions: one engine per process, one transaction per logical change."""
import contextlib
import os
import threading
from collections.abc import Iterator
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event, orm

from common import db_access, exceptions
from common.config import CONF

_lock = threading.Lock()
_engines: dict[tuple[int, str], sa.Engine] = {}


def _reset_lock_after_fork() -> None:
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_reset_lock_after_fork)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # pysqlite opens transactions lazily, at the first write: the reads of a transaction
    # would see no snapshot and lost updates follow. Take control of BEGIN (see below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


# The execution option that marks the connection of a ``reader()``.
_READ_ONLY = "strato_read_only"


def _sqlite_begin(connection: sa.Connection) -> None:
    # IMMEDIATE takes the write lock at the start: a read-modify-write transaction can
    # never be overtaken by another writer between its read and its write (SQLite has no
    # SELECT ... FOR UPDATE). Writers queue on busy_timeout; WAL readers are not blocked.
    # A reader's plain BEGIN takes no lock: WAL gives it a snapshot at its first read.
    read_only = connection.get_execution_options().get(_READ_ONLY)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def create_engine(url: str) -> sa.Engine:
    """An engine for ``url`` with the settings Strato relies on for each backend."""
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path:
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        engine = sa.create_engine(url, echo=CONF.database.connection_debug)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(url, echo=CONF.database.connection_debug,
                            pool_size=CONF.database.max_pool_size,
                            pool_timeout=CONF.database.pool_timeout,
                            pool_pre_ping=True, pool_recycle=3600)


def get_engine(url: str | None = None) -> sa.Engine:
    """This process's engine for ``url`` (default: ``[database] connection``)."""
    db_access.check_allowed()
    url = url or CONF.database.connection
    key = (os.getpid(), url)
    with _lock:
        if key not in _engines:
            _engines[key] = create_engine(url)
        return _engines[key]


def dispose_all() -> None:
    with _lock:
        for key in [k for k in _engines if k[0] == os.getpid()]:
            _engines.pop(key).dispose()


# This thread's open session and whether it may write. A nested ``transaction()`` or
# ``reader()`` joins it: on SQLite a second connection's BEGIN IMMEDIATE in the same
# thread would wait busy_timeout (30 s) for the lock its own outer transaction holds,
# and every other writer of the database would wait with it.
_current = threading.local()


def _reader_options(engine: sa.Engine) -> dict:
    """A reader sees one snapshot for all its statements: PostgreSQL's default (READ
    COMMITTED) gives each statement its own, and a snapshot of many tables (the network
    agent's) could see a router's gateway port without its gateway. SQLite's WAL reader
    and MySQL's default (REPEATABLE READ) already do; a read-only REPEATABLE READ
    transaction never fails to serialize."""
    options: dict = {_READ_ONLY: True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    return options


@contextlib.contextmanager
def _session(read_only: bool) -> Iterator[orm.Session]:
    outer: orm.Session | None = getattr(_current, "session", None)
    if outer is not None:
        if not read_only and _current.read_only:
            raise exceptions.StratoError("a transaction() cannot be nested in a reader()")
        if read_only:
            yield outer
        else:
            with outer.begin_nested():  # a SAVEPOINT: a failure undoes only its own work
                yield outer
        return
    engine = get_engine()
    if read_only:
        engine = engine.execution_options(**_reader_options(engine))
    with orm.Session(engine, expire_on_commit=False) as session:
        _current.session, _current.read_only = session, read_only
        db_access.entered()
        try:
            with session.begin():
                yield session
        except sa.exc.DBAPIError as error:
            if _unavailable(error, engine):
                raise exceptions.DatabaseUnavailable() from error
            raise
        finally:
            _current.session = None
            db_access.left()


# Lock conflicts: the loser of a race between writers. They stay what they are, for the
# retry loops of the DB API (placement claims, network writes) to run the work again.
_CONFLICTS = ("deadlock", "could not serialize", "lock wait timeout", "database is locked",
              "database is busy")


def _unavailable(error: sa.exc.DBAPIError, engine: sa.Engine) -> bool:
    """Whether ``error`` says the database cannot serve now (down, restarting, a lost
    connection), not that the statement was wrong or lost a race. Only these become a
    503: a bug must still show as one."""
    if error.connection_invalidated:
        return True
    if not isinstance(error, sa.exc.OperationalError) or engine.dialect.name == "sqlite":
        return False
    if any(text in str(error.orig).lower() for text in _CONFLICTS):
        return False
    # PostgreSQL and MySQL report a bad statement as ProgrammingError or
    # IntegrityError; OperationalError is the server or the connection.
    return True


@contextlib.contextmanager
def transaction() -> Iterator[orm.Session]:
    """A session whose work commits on success and rolls back on any exception.

    Inside another transaction of this thread it is a savepoint of that transaction's
    session: its work commits with the outer one, and an exception undoes only its own."""
    with _session(read_only=False) as session:
        yield session


@contextlib.contextmanager
def reader() -> Iterator[orm.Session]:
    """A session that only reads, consistently. On SQLite it neither waits for nor
    holds up the writers (each ``transaction()`` holds the database's one write lock)."""
    with _session(read_only=True) as session:
        yield session


def rowcount(result: sa.Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched (SQLAlchemy types Session.execute as a plain
    Result, though DML gives a CursorResult)."""
    return cast(sa.CursorResult[Any], result).rowcount
