"""Benchmark the member-list import (check + import jobs) against django-import-export.

    .venv/bin/python -m bench.imports --rows 1000000 --iie-rows 50000

Writes ``var/bench/import-<rows>.csv`` (reused when present): valid synthetic members with the
columns the importer recognises (prénom, nom, الاسم, النسب, sexe, date de naissance, cin,
téléphone, commune), unique CINs (``BX0000001``...) and phones, communes drawn by population.
Creates (drops first) the PostgreSQL database ``abwab_bench_imports`` (``--database-url``),
migrates it and loads the territory, then, as a national admin with the nation "MA" as the batch
territory:

1. django-import-export 4: a ``ModelResource`` for ``people.Person`` (names, gender, birth date,
   CIN, territory through a ``ForeignKeyWidget`` on ``Territory.code``; ``import_id_fields`` =
   CIN), ``import_data(dataset, dry_run=False)`` on a tablib Dataset of the first ``--iie-rows``
   lines of the same file, headers mapped; timed, then rolled back (the same CINs are imported
   next).
2. Abwab, in its own process (``--abwab-worker``) so that its peak memory is its own (the
   process's ``ru_maxrss`` from ``os.wait4``): ``import_upload`` (the file wrapped in a Django
   ``File``), then the handlers ``import_check(job)`` and ``import_run(job)`` called directly on
   ``core.Job`` rows, each timed. Abwab's run creates persons, consents, memberships with card
   numbers and membership changes (and updates the dashboard's member counts);
   django-import-export creates persons only.

``uptime`` is printed before and after: the machine may be shared, and both tools slow down with it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.door_lookup import REPO, person_fields, prepare_database, setup_django
from bench.reports import bench_environment, leaf_communes, national_admin
from bench.synthetic import Generator

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/abwab_bench_imports"
OUT = REPO / "var" / "bench"
HEADER = [
    "prénom",
    "nom",
    "الاسم",
    "النسب",
    "sexe",
    "date de naissance",
    "cin",
    "téléphone",
    "commune",
]
# django-import-export's field names for the same columns (its resource declares these).
IIE_FIELDS = {
    "prénom": "first_name_latin",
    "nom": "last_name_latin",
    "الاسم": "first_name_ar",
    "النسب": "last_name_ar",
    "sexe": "gender",
    "date de naissance": "birth_date",
    "cin": "cin",
    "téléphone": "phone",
    "commune": "territory",
}


def write_file(path: Path, rows: int, communes: list, seed: int) -> None:
    """N valid members, unique CINs and phones, names in both scripts."""
    gen = Generator(seed)
    rng = gen.rng
    weights = [c.population_2024 or 1 for c in communes]
    started = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        n = 0
        while n < rows:
            chosen = rng.choices(communes, weights=weights, k=min(10_000, rows - n))
            for commune in chosen:
                n += 1
                fields = person_fields(gen, gen.person(n), "both")
                writer.writerow(
                    [
                        fields["first_name_latin"],
                        fields["last_name_latin"],
                        fields["first_name_ar"],
                        fields["last_name_ar"],
                        fields["gender"],
                        fields["birth_date"].isoformat(),
                        f"BX{n:07d}",
                        f"06{61_000_000 + n}",
                        commune.code,
                    ]
                )
            print(f"\r  wrote {n:,}/{rows:,} lines", end="", flush=True)
    tmp.rename(path)
    print(f" in {time.perf_counter() - started:.0f}s")


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (read from /proc: the
    server runs on this machine), 0.0 when it cannot be read."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_iie(path: Path, rows: int) -> tuple[int, float, float, float]:
    """django-import-export on the first `rows` lines; returns (persons created, seconds, CPU
    seconds of this process and of its PostgreSQL backend)."""
    import tablib
    from django.db import transaction
    from import_export import fields, resources, widgets

    from abwab.people.models import Person
    from abwab.territory.models import Territory

    class PersonResource(resources.ModelResource):
        territory = fields.Field(
            attribute="territory",
            column_name="territory",
            widget=widgets.ForeignKeyWidget(Territory, field="code"),
        )

        class Meta:
            model = Person
            fields = (
                "first_name_latin",
                "last_name_latin",
                "first_name_ar",
                "last_name_ar",
                "gender",
                "birth_date",
                "cin",
                "phone",
                "territory",
            )
            import_id_fields = ("cin",)

    dataset = tablib.Dataset(headers=[IIE_FIELDS[h] for h in HEADER])
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for _index, line in zip(range(rows), reader, strict=False):
            dataset.append(line)
    print(f"  django-import-export: {len(dataset):,} lines in a tablib Dataset", flush=True)
    before = Person.objects.count()
    with transaction.atomic():
        started, cpu, server = time.perf_counter(), time.process_time(), backend_cpu()
        result = PersonResource().import_data(dataset, dry_run=False, raise_errors=True)
        seconds = time.perf_counter() - started
        cpu, server = time.process_time() - cpu, backend_cpu() - server
        created = Person.objects.count() - before
        assert not result.has_errors() and not result.has_validation_errors()
        transaction.set_rollback(True)  # the same CINs are imported by Abwab next
    return created, seconds, cpu, server


def run_abwab(path: Path, user, nation) -> dict:
    from django.core.files import File
    from django.db import OperationalError, connection

    from abwab.core.models import Job
    from abwab.people import import_write, imports
    from abwab.people.models import Consent, Membership, Person

    printed = [0.0]
    original = imports.job_progress

    def progress(job, *, done, total=None, message=""):
        original(job, done=done, total=total, message=message)
        if time.perf_counter() - printed[0] > 5:
            printed[0] = time.perf_counter()
            print(f"\r    {job.kind}: {done:,} lines", end="", flush=True)

    imports.job_progress = progress  # only to print progress; same call underneath
    timings = {"member_counts_add": 0.0, "cpu": 0.0, "server_cpu": 0.0}
    counts_add = import_write.member_counts_add_new

    def timed_counts_add(**kwargs):  # the dashboard's counts, timed apart; same call underneath
        started = time.perf_counter()
        counts_add(**kwargs)
        timings["member_counts_add"] += time.perf_counter() - started

    import_write.member_counts_add_new = timed_counts_add
    started = time.perf_counter()
    with open(path, "rb") as handle:
        batch = imports.import_upload(
            actor=user, territory=nation, upload=File(handle, name=path.name)
        )
    timings["upload"] = time.perf_counter() - started
    print(f"  upload: {timings['upload']:.1f}s, mapping {batch.mapping}", flush=True)
    for kind, handler in (
        ("people.import_check", imports.import_check),
        ("people.import_run", imports.import_run),
    ):
        started = time.perf_counter()
        while True:
            job = Job.objects.create(
                kind=kind, territory=nation, created_by=user, params={"batch": batch.pk}
            )
            cpu, server = time.process_time(), backend_cpu()
            try:
                result = handler(job)
                timings["cpu"] += time.process_time() - cpu
                timings["server_cpu"] += backend_cpu() - server
                break
            except OperationalError as error:  # the server went away (a shared machine):
                print(f"\n  {kind} interrupted ({error}); started again", flush=True)
                timings["interruptions"] = timings.get("interruptions", 0) + 1
                connection.close()
                time.sleep(5)  # the import resumes after its last whole chunk
        timings[kind] = time.perf_counter() - started
        shown = {k: v for k, v in result.items() if not k.startswith("link")}
        print(f"\r  {kind}: {timings[kind]:.1f}s {shown}", flush=True)
    imports.job_progress = original
    import_write.member_counts_add_new = counts_add
    timings["persons"] = Person.objects.count()
    timings["memberships"] = Membership.objects.count()
    timings["consents"] = Consent.objects.count()
    return timings


def run_abwab_process(url: str, path: Path, chunk: int) -> dict:
    """Abwab's check and run in a child process; its timings, and its peak RSS from os.wait4."""
    command = [sys.executable, "-m", "bench.imports", "--database-url", url]
    command += ["--abwab-worker", str(path), "--chunk", str(chunk)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    output = []
    for line in process.stdout:
        if line.startswith("{"):
            output.append(line)
        else:
            print(line, end="", flush=True)
    _pid, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit("the Abwab worker failed")
    result = json.loads(output[-1])
    result["peak_mib"] = usage.ru_maxrss / 1024  # Linux: KiB
    return result


def abwab_worker(path: Path, chunk: int) -> None:
    from abwab.people import imports
    from abwab.territory.models import Level, Territory

    imports.CHUNK = chunk
    nation = Territory.objects.get(level=Level.NATION)
    result = run_abwab(path, national_admin(), nation)
    print(json.dumps(result), flush=True)


def uptime() -> str:
    env = {**os.environ, "TZ": "UTC"}
    return subprocess.run(
        ["uptime"], capture_output=True, text=True, check=False, env=env
    ).stdout.strip()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.imports", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rows", type=int, default=100_000, help="lines Abwab imports")
    parser.add_argument(
        "--iie-rows", type=int, default=20_000, help="lines django-import-export imports (0: skip)"
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--chunk", type=int, default=0, help="lines per import transaction")
    parser.add_argument("--abwab-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    OUT.mkdir(parents=True, exist_ok=True)
    bench_environment()
    if args.abwab_worker:
        setup_django(args.database_url)
        abwab_worker(args.abwab_worker, args.chunk)
        return
    print(f"uptime: {uptime()}")
    prepare_database(args.database_url, reuse=False)
    setup_django(args.database_url)
    import io

    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("territory", "load", stdout=io.StringIO())
    print(f"migrated and loaded the territory in {time.perf_counter() - started:.0f}s")
    communes = leaf_communes()
    national_admin()
    size = max(args.rows, args.iie_rows)
    path = OUT / f"import-{size}-{args.seed}.csv"
    if not path.exists():
        write_file(path, size, communes, args.seed)
    if args.rows < size:  # Abwab reads the whole file: give it its own, the first lines
        mine = OUT / f"import-{args.rows}-{args.seed}.csv"
        if not mine.exists():
            with open(path, encoding="utf-8") as source, open(mine, "w", encoding="utf-8") as out:
                for _index, line in zip(range(args.rows + 1), source, strict=False):
                    out.write(line)
    else:
        mine = path
    print(f"file {path.name}: {path.stat().st_size / 2**20:.0f} MiB ({connection.vendor})")

    iie = None
    if args.iie_rows:
        iie = run_iie(path, args.iie_rows)
        print(f"  django-import-export: {iie[0]:,} persons in {iie[1]:.1f}s (rolled back)")
    if not args.chunk:
        from abwab.people.imports import CHUNK

        args.chunk = CHUNK
    print(f"uptime: {uptime()}")
    ours = run_abwab_process(args.database_url, mine, args.chunk)
    print(f"uptime: {uptime()}")

    total = ours["people.import_check"] + ours["people.import_run"]
    print()
    print("| tool | lines | creates | check s | import s | total s | rows/s |")
    print("|------|-------|---------|---------|----------|---------|--------|")
    print(
        f"| Abwab (import_check + import_run) | {args.rows:,} | "
        f"{ours['persons']:,} persons, {ours['consents']:,} consents, "
        f"{ours['memberships']:,} memberships | {ours['people.import_check']:.1f} | "
        f"{ours['people.import_run']:.1f} | {total:.1f} | {args.rows / total:,.0f} |"
    )
    if iie:
        print(
            f"| django-import-export (import_data) | {args.iie_rows:,} | {iie[0]:,} persons | - | "
            f"{iie[1]:.1f} | {iie[1]:.1f} | {args.iie_rows / iie[1]:,.0f} |"
        )
        ratio = (args.rows / total) / (args.iie_rows / iie[1])
        print(f"\nAbwab / django-import-export, rows/s: {ratio:.1f}x")
    # On a shared machine the wall clock says how busy it was; the CPU per line, what it costs.
    ours_cpu = (ours["cpu"] + ours["server_cpu"]) / args.rows * 1e6
    print(
        f"CPU per line: Abwab {ours['cpu'] / args.rows * 1e6:,.0f} µs (Python) + "
        f"{ours['server_cpu'] / args.rows * 1e6:,.0f} µs (PostgreSQL) = {ours_cpu:,.0f} µs"
    )
    if iie:
        iie_cpu = (iie[2] + iie[3]) / args.iie_rows * 1e6
        print(
            f"CPU per line: django-import-export {iie[2] / args.iie_rows * 1e6:,.0f} µs (Python) + "
            f"{iie[3] / args.iie_rows * 1e6:,.0f} µs (PostgreSQL) = {iie_cpu:,.0f} µs; "
            f"ratio {iie_cpu / ours_cpu:.1f}x"
        )
    print(
        f"(of import_run's {ours['people.import_run']:.1f}s, {ours['member_counts_add']:.1f}s went "
        "to people.tallies.member_counts_add_new, the dashboard's member counts)"
    )
    print(f"(upload of the file by import_upload: {ours['upload']:.1f}s, not counted)")
    print(
        f"Abwab's process: peak RSS {ours['peak_mib']:.0f} MiB "
        f"({args.chunk:,} lines per transaction; PostgreSQL's own memory not included)"
    )


if __name__ == "__main__":
    main()
