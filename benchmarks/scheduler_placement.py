"""Scheduler placement latency at 1,000 and 10,000 fake hosts, beside a baseline.

For each host count: a fresh database with that many compute hosts (a resource
provider with VCPU/MEMORY_MB/DISK_GB inventories and a live compute service each), then
``--placements`` single-instance placements through the real Selector (refresh host
states, filters, weighers, atomic claim). Between two placements another "scheduler"
claims on a random host (``--foreign-claims``), so every refresh has something to
reload, as with two schedulers at work. The baseline, measured in the same run on the
same database, is a bare ``SELECT id, name, uuid, generation FROM resource_providers``
fetching every row: what any scheduler must at least pay to look at every host once.

    .venv/bin/python benchmarks/scheduler_placement.py [--hosts 1000 10000]
        [--placements 200] [--db sqlite|postgresql|mysql]

Prints p50/p95 in milliseconds and p50 / baseline p50. Goal: p50 <= 20 ms.
"""
import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import sqlalchemy as sa  # noqa: E402

from common import config, context  # noqa: E402
from common.config import CONF  # noqa: E402
from common.db import migration, models, session  # noqa: E402
from common.db.api import placement  # noqa: E402
from common.db.types import utcnow  # noqa: E402
from services.scheduler import host_state, selector  # noqa: E402
from services.scheduler.request import make_request_spec  # noqa: E402

SYSTEM = context.get_admin_context()
SERVER_URLS = {"postgresql": "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres",
               "mysql": "mysql+pymysql://root@127.0.0.1:3306/"}
FLAVOR = {"id": "bench", "name": "bench", "vcpus": 1, "memory_mb": 512, "root_gb": 1,
          "ephemeral_gb": 0, "swap": 0, "extra_specs": {}}


def _database_url(kind: str, state_dir: str) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite:///{state_dir}/bench.sqlite", lambda: None
    admin = sa.create_engine(SERVER_URLS[kind], isolation_level="AUTOCOMMIT")
    name = "strato_bench_" + uuid.uuid4().hex[:8]
    with admin.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))

    def drop() -> None:
        session.dispose_all()
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE {name}"))
        admin.dispose()

    return sa.engine.make_url(SERVER_URLS[kind]).set(database=name).render_as_string(
        hide_password=False), drop


def populate(count: int) -> None:
    """``count`` hosts with 64 VCPU, 256 GB RAM, 2 TB disk each, in bulk inserts."""
    now = utcnow()
    rp, inv, svc = (models.ResourceProvider.__table__, models.Inventory.__table__,
                    models.Service.__table__)
    with session.get_engine().begin() as connection:
        connection.execute(rp.insert(), [
            {"id": i + 1, "uuid": str(uuid.uuid4()), "name": f"host{i:05d}", "generation": 1,
             "created_at": now} for i in range(count)])
        totals = {"VCPU": (64, 4.0), "MEMORY_MB": (262144, 1.0), "DISK_GB": (2000, 1.0)}
        connection.execute(inv.insert(), [
            {"resource_provider_id": i + 1, "resource_class": rc, "total": total,
             "reserved": 0, "min_unit": 1, "max_unit": total, "step_size": 1,
             "allocation_ratio": ratio}
            for i in range(count) for rc, (total, ratio) in totals.items()])
        connection.execute(svc.insert(), [
            {"uuid": str(uuid.uuid4()), "host": f"host{i:05d}", "binary": "strato-compute",
             "topic": "compute", "report_count": 1, "last_seen_at": now, "disabled": False,
             "forced_down": False, "version": "bench", "created_at": now}
            for i in range(count)])


def baseline_ms(samples: int) -> list[float]:
    query = sa.select(models.ResourceProvider.__table__.c["id", "name", "uuid",
                                                             "generation"])
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        with session.get_engine().connect() as connection:
            connection.execute(query).all()
        times.append((time.perf_counter() - started) * 1000)
    return times


class ClaimTimer:
    """Times the database claim inside each placement (the part a disk can slow down)."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self._claim = selector.claims.claim

    def __call__(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self._claim(*args, **kwargs)
        finally:
            self.times.append((time.perf_counter() - started) * 1000)


def placement_ms(count: int, placements: int,
                 foreign_claims: int) -> tuple[float, list[float], list[float]]:
    timer = ClaimTimer()
    selector.claims.claim = timer
    chooser = selector.Selector(host_state.HostStateCache())
    spec = make_request_spec(FLAVOR, {"id": "image", "properties": {}}, "project", "user")
    started = time.perf_counter()
    chooser.select(SYSTEM, spec, [str(uuid.uuid4())])  # the cold, full load of every host
    cold = (time.perf_counter() - started) * 1000
    resources = placement.resources_for_flavor(FLAVOR)
    times = []
    for _ in range(placements):
        for _ in range(foreign_claims):
            placement.claim(SYSTEM, str(uuid.uuid4()), f"host{random.randrange(count):05d}",
                            resources)
        started = time.perf_counter()
        chooser.select(SYSTEM, spec, [str(uuid.uuid4())])
        times.append((time.perf_counter() - started) * 1000)
    selector.claims.claim = timer._claim
    return cold, times, timer.times[-placements:]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def run(count: int, args: argparse.Namespace) -> None:
    state_dir = tempfile.mkdtemp(prefix="strato-bench-")
    url, drop = _database_url(args.db, state_dir)
    try:
        CONF.clear()
        config.parse_args([], default_config_files=[])
        CONF.set_override("state_path", state_dir)
        CONF.set_override("connection", url, group="database")
        migration.sync()
        populate(count)
        base = baseline_ms(args.placements)
        cold, times, claim_times = placement_ms(count, args.placements, args.foreign_claims)
        p50, base_p50 = statistics.median(times), statistics.median(base)
        print(f"{count:>6} hosts ({args.db}): placement p50 {p50:6.2f} ms  "
              f"p95 {percentile(times, 0.95):6.2f} ms (of which the claim's DB write p50 "
              f"{statistics.median(claim_times):5.2f} ms) | baseline SELECT of all "
              f"providers p50 {base_p50:6.2f} ms | ratio {p50 / base_p50:4.2f} | "
              f"cold first placement {cold:7.1f} ms | goal p50 <= 20 ms: "
              f"{'met' if p50 <= 20 else 'MISSED'}")
    finally:
        session.dispose_all()
        drop()
        shutil.rmtree(state_dir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hosts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--placements", type=int, default=200)
    parser.add_argument("--foreign-claims", type=int, default=1)
    parser.add_argument("--db", choices=["sqlite", "postgresql", "mysql"], default="sqlite")
    args = parser.parse_args()
    random.seed(42)
    for count in args.hosts:
        run(count, args)


if __name__ == "__main__":
    main()
