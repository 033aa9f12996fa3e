"""Time `abwab backup` and `abwab restore` on a large database while the application keeps writing.

    .venv/bin/python -m bench.backup                      # PostgreSQL, a copy of abwab_bench_reports
    .venv/bin/python -m bench.backup --database-url sqlite:///var/bench/backup.sqlite3 --people 200000

Prepares the database as ``bench.reports`` does (``--template``: created as a copy of that database
when it exists, else migrated and filled with ``--people`` synthetic persons). A writer process then
inserts rows (background jobs, one per transaction, as the application would) without pause while
``backup_create`` runs, recording each write's latency: the backup must neither stop nor slow the
writes much, and must hold exactly the rows of one moment (the manifest's counts, checked against the
restored database). Then ``backup_restore --force`` puts the backup back over the database. Prints
wall times, sizes, writes done during the backup and their latency, with ``uptime`` beside them.
The backup file is deleted at the end; the database is kept for the next run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import time
from pathlib import Path

from bench.reports import OUT, prepare

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/abwab_bench_backup"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()


def database_size() -> int:
    from django.db import connection

    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        return sum(p.stat().st_size for p in name.parent.glob(name.name + "*"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def latency(seconds: list[float]) -> str:
    return f"p50 {statistics.median(seconds) * 1000:.1f} ms, max {max(seconds) * 1000:.1f} ms"


class Writer:
    """Another process, as a web server's worker would be, inserting one job per transaction until
    stopped and timing each write (a thread would compete with the backup for the GIL)."""

    def __init__(self, territory_id: int):
        from django.db import connections

        connections.close_all()  # the child opens its own
        context = multiprocessing.get_context("fork")
        self.stop = context.Event()
        self.count = context.Value("i", 0)
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=self.run, args=(territory_id, send), daemon=True)
        self.process.start()

    def run(self, territory_id: int, send) -> None:
        from django.db import connection

        from abwab.core.models import Job

        writes, error = [], None
        try:
            while not self.stop.is_set():
                started = time.monotonic()
                Job.objects.create(kind="bench.write", territory_id=territory_id)
                ended = time.monotonic()
                writes.append((ended, ended - started))
                with self.count.get_lock():
                    self.count.value += 1
        except BaseException as failure:  # noqa: BLE001 - reported by the parent
            error = repr(failure)
        finally:
            connection.close()
        send.send((writes, error))

    def wait_for(self, count: int) -> None:
        while self.count.value < count and self.process.is_alive():
            time.sleep(0.01)

    def finish(self) -> list[tuple[float, float]]:
        self.stop.set()
        writes, error = self.receive.recv()
        self.process.join()
        if error:
            raise SystemExit(f"the writer failed: {error}")
        return writes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--template", default="abwab_bench_reports")
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args(argv)
    prepare(args.database_url, people=args.people, template=args.template)
    from django.db import connection

    from abwab.core.backup import backup_create, backup_restore
    from abwab.core.models import Job
    from abwab.territory.models import Level, Territory

    print(uptime())
    print(f"{connection.vendor}: database {database_size() / 1e6:,.0f} MB")
    writer = Writer(Territory.objects.get(level=Level.NATION).pk)
    writer.wait_for(500)
    started = time.monotonic()
    made = backup_create(destination=OUT)
    ended = time.monotonic()
    writer.wait_for(writer.count.value + 100)
    writes = writer.finish()
    during = [seconds for at, seconds in writes if started <= at <= ended]
    before = [seconds for at, seconds in writes if at < started]
    rows = sum(made.manifest["tables"].values())
    print(
        f"backup: {ended - started:.1f} s, {made.manifest['size'] / 1e6:,.0f} MB "
        f"({rows:,} rows in {len(made.manifest['tables'])} tables) -> {made.path.name}"
    )
    print(
        f"  writes during the backup: {len(during):,}, {latency(during)}; "
        f"the {len(before)} before it: {latency(before)}"
    )
    print(uptime())
    jobs_in_backup = made.manifest["tables"]["core_job"]
    started = time.perf_counter()
    restored = backup_restore(path=made.path, force=True)
    ended = time.perf_counter()
    print(f"restore: {ended - started:.1f} s; tables whose rows differ: {restored.mismatched or 0}")
    assert Job.objects.count() == jobs_in_backup, (Job.objects.count(), jobs_in_backup)
    print(uptime())
    os.unlink(made.path)


if __name__ == "__main__":
    main()
