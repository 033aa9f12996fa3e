"""Benchmark the dashboard figures and the members export on a million members.

    .venv/bin/python -m bench.reports --members 1000000 --checkins 100000

Uses the PostgreSQL database ``abwab_bench_reports`` (``--database-url``), created on first use as a
copy of ``abwab_bench`` when that one exists (``--template``; the persons ``bench.door_lookup``
loaded), otherwise migrated and filled with synthetic persons by ``bench.door_lookup``. Gives the
first ``--members`` persons an active membership with its consent and a card number (one
``INSERT ... SELECT``), and adds ``--checkins`` door check-ins spread over twenty open-doors events
and the last sixty days. A national admin (role ``national_admin`` on "MA") is the actor.

The memberships go in by SQL, so the dashboard's kept member counts are rebuilt then
(``member_counts_rebuild``, what ``abwab recount_members`` does) unless they already match.

Then times ``abwab.reports.selectors.dashboard`` for the nation, one region (``--region``) and one
province (``--province``), ``members_per_thousand`` (the page's tiles), both together, and
``abwab.campaigns.selectors.campaign_progress`` for the nation: a cold call (the first on a new
database connection), then ``--runs`` warm calls, p50 and max. ``--explain`` prints ``EXPLAIN ANALYZE`` of the slowest query of the
national dashboard. Last, exports the members as CSV (``csv_stream``) and XLSX (``xlsx_file``) for
each ``--export-rows`` size (the first N rows of ``export_rows``), each in its own subprocess whose
peak RSS is read with ``os.wait4`` when it ends. The database is kept for the next run.
"""

from __future__ import annotations

import argparse
import datetime
import io
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from bench.door_lookup import REPO, finish_load, load_people, prepare_database, setup_django
from bench.synthetic import Generator

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/abwab_bench_reports"
OUT = REPO / "var" / "bench"


def bench_environment() -> None:
    """Settings for a benchmark process: media under var/bench, uploads up to 1 GB."""
    os.environ.setdefault("MEDIA_ROOT", str(OUT / "media"))
    os.environ.setdefault("UPLOAD_MAX_MB", "1024")


def copy_template(url: str, template: str) -> bool:
    """Create the database as a copy of `template` when it does not exist yet; True if copied."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        query = "SELECT datname FROM pg_database WHERE datname = ANY(%s)"
        present = {row[0] for row in connection.execute(query, [[name, template]])}
        if name in present or template not in present:
            return False
        connection.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(template)
            )
        )
    return True


def prepare(url: str, *, people: int, template: str | None, seed: int = 7) -> None:
    """Database ready with the territory and at least `people` persons; Django set up."""
    bench_environment()
    if template and not urlsplit(url).scheme.startswith("sqlite") and copy_template(url, template):
        print(f"copied database {template!r}")
    prepare_database(url, reuse=True)
    setup_django(url)
    from django.core.management import call_command
    from django.db import connection

    from abwab.people.models import Person
    from abwab.territory.models import Level, Territory

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated {connection.vendor} database in {time.perf_counter() - started:.0f}s")
    communes = leaf_communes()
    if not communes:
        call_command("territory", "load", stdout=io.StringIO())
        communes = leaf_communes()
    assert Territory.objects.filter(level=Level.NATION).exists()
    count = Person.objects.count()
    if count < people:
        if count:
            raise SystemExit(f"{count:,} persons already there, fewer than {people:,}: drop it")
        print(f"inserting {people:,} persons")
        load_people(people, Generator(seed), communes)
        finish_load()
    else:
        print(f"reusing {count:,} persons")


def leaf_communes() -> list:
    from abwab.territory.models import Level, Territory

    return list(
        Territory.objects.filter(level__gte=Level.COMMUNE, children__isnull=True).order_by("pk")
    )


def national_admin():
    """The benchmark's actor: a user with the national_admin role on the nation node."""
    from abwab.accounts.models import RoleAssignment, User
    from abwab.territory.models import Level, Territory

    nation = Territory.objects.get(level=Level.NATION)
    user, _created = User.objects.get_or_create(username="bench-national-admin")
    RoleAssignment.objects.get_or_create(user=user, role="national_admin", territory=nation)
    return user


MEMBERSHIP_SQL = """
INSERT INTO people_membership (person_id, status, territory_id, joined_on, card_number, consent_id)
SELECT c.person_id, 'active', p.territory_id, j.joined_on,
       split_part(t.path, '/', 2) || '-' || extract(year FROM j.joined_on)::int || '-'
           || lpad(p.id::text, 7, '0'),
       c.id
FROM people_consent c
JOIN people_person p ON p.id = c.person_id
JOIN territory_territory t ON t.id = p.territory_id
CROSS JOIN LATERAL (SELECT DATE '2019-01-01' + ((p.id * 7919) %% 2557)::int AS joined_on) j
WHERE c.text_version = 'bench'
"""
CONSENT_SQL = """
INSERT INTO people_consent (person_id, purpose, text_version, given_at, channel)
SELECT id, 'membership', 'bench', now(), 'import'
FROM people_person ORDER BY id LIMIT %s
"""


def load_members(members: int) -> None:
    """Give the first `members` persons an active membership (consent and card number)."""
    from django.db import connection, transaction

    from abwab.people.models import Consent, Membership

    count = Membership.objects.count()
    if count >= members:
        print(f"reusing {count:,} memberships")
        return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        Membership.objects.filter(consent__text_version="bench").delete()
        Consent.objects.filter(text_version="bench").delete()
        cursor.execute(CONSENT_SQL, [members])
        cursor.execute(MEMBERSHIP_SQL, [])
        cursor.execute("ANALYZE people_consent")
        cursor.execute("ANALYZE people_membership")
    print(
        f"{Membership.objects.count():,} memberships inserted in {time.perf_counter() - started:.0f}s"
    )


def count_members() -> None:
    """The memberships and check-ins above went in by SQL and bulk_create, around the services:
    rebuild the dashboard's kept counts (`abwab recount_members`) unless they already match."""
    from django.db.models import Sum

    from abwab.campaigns.models import CheckIn, VisitTally
    from abwab.campaigns.tallies import recount_visits
    from abwab.people.models import Breakdown, Membership, MembershipStatus, MemberTally
    from abwab.people.tallies import member_counts_rebuild

    kept = MemberTally.objects.filter(breakdown=Breakdown.TOTAL, rollup=False).aggregate(
        n=Sum("members")
    )["n"]
    visits = VisitTally.objects.filter(rollup=False).aggregate(n=Sum("visitors"))["n"]
    members = Membership.objects.exclude(status=MembershipStatus.ENDED).count()
    started = time.perf_counter()
    if kept != members:
        member_counts_rebuild()
        print(f"member and visitor counts rebuilt in {time.perf_counter() - started:.1f}s")
    elif visits != CheckIn.objects.count():
        recount_visits(CheckIn, VisitTally)
        print(f"visitor counts rebuilt in {time.perf_counter() - started:.1f}s")
    else:
        print(f"reusing the kept counts ({members:,} members)")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_membertally")
        cursor.execute("ANALYZE reports_jointally")
        cursor.execute("ANALYZE reports_visittally")
        cursor.execute("SELECT count(*) FROM reports_membertally")
        tallies = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM reports_jointally")
        joins = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM reports_visittally")
        print(
            f"  count rows: {tallies:,} members, {joins:,} sign-up days,"
            f" {cursor.fetchone()[0]:,} visitor days"
        )


def load_checkins(n: int, user, seed: int = 7) -> object:
    """Twenty events of one campaign, `n` check-ins over the last sixty days; returns the campaign."""
    import random

    from django.db import connection
    from django.utils import timezone

    from abwab.campaigns.models import Campaign, CheckIn, Event
    from abwab.territory.models import Level, Office, Territory

    nation = Territory.objects.get(level=Level.NATION)
    today = timezone.localdate()
    campaign, _created = Campaign.objects.get_or_create(
        name_fr="Bench campaign",
        defaults={
            "name_ar": "حملة",
            "starts_on": today - datetime.timedelta(days=365),
            "ends_on": today + datetime.timedelta(days=30),
            "memo_ar": "-",
            "territory": nation,
            "status": "launched",
            "created_by": user,
        },
    )
    have = CheckIn.objects.filter(event__campaign=campaign).count()
    if have >= n:
        print(f"reusing {have:,} check-ins")
        return campaign
    rng = random.Random(seed)
    communes = leaf_communes()
    weights = [c.population_2024 or 1 for c in communes]
    events = []
    for index, commune in enumerate(rng.sample(communes, 20)):
        office, _created = Office.objects.get_or_create(
            territory=commune,
            name_fr=f"Bench office {index}",
            defaults={"name_ar": f"مقر {index}", "address": "-"},
        )
        event, _created = Event.objects.get_or_create(
            campaign=campaign,
            office=office,
            defaults={
                "starts_on": today - datetime.timedelta(days=60),
                "ends_on": today,
                "opens_at": datetime.time(9),
                "closes_at": datetime.time(19),
                "status": "open",
            },
        )
        events.append(event)
    started = time.perf_counter()
    CheckIn.objects.filter(event__campaign=campaign).delete()
    now = timezone.now()
    batch = []
    for i in range(n):
        event = events[i % len(events)]
        batch.append(
            CheckIn(
                event=event,
                office_id=event.office_id,
                territory=rng.choices(communes, weights=weights)[0],
                name=f"Visitor {i}",
                age_band=rng.choice(["18-24", "25-34", "35-44", "45-59", "60+"]),
                gender=rng.choice("FM"),
                purpose="information",
                at=now - datetime.timedelta(seconds=rng.randrange(60 * 86400)),
                by=user,
                client_key=f"bench-{i}",
            )
        )
        if len(batch) == 10_000:
            CheckIn.objects.bulk_create(batch)
            batch = []
    CheckIn.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE campaigns_checkin")
    print(f"{n:,} check-ins inserted in {time.perf_counter() - started:.0f}s")
    return campaign


def slowest_queries(function, top: int = 3) -> list[tuple[float, str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    timed_queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    return sorted(timed_queries, reverse=True)[:top]


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def bench_dashboard(
    user, campaign, region_code: str, province_code: str, runs: int, show_plan: bool
) -> list[tuple]:
    """Cold: the first call on a new database connection (new server process: empty plan and
    catalogue caches; the tables may still be in PostgreSQL's and the kernel's caches). Warm: the
    `runs` calls after it."""
    from django.db import connection

    from abwab.campaigns.selectors import campaign_progress
    from abwab.reports.selectors import dashboard, members_per_thousand
    from abwab.territory.models import Level, Territory

    nation = Territory.objects.get(level=Level.NATION)
    region = Territory.objects.get(code=region_code)
    province = Territory.objects.get(code=province_code)

    def page(node):  # what the dashboard page computes: figures and the children's tiles
        def figures():
            result = dashboard(actor=user, territory=node)
            members_per_thousand(actor=user, territory=node)
            return result

        return figures

    cases = [
        (f"dashboard {nation.code} (nation)", lambda: dashboard(actor=user, territory=nation)),
        (
            f"dashboard {region.code} ({region.name_fr})",
            lambda: dashboard(actor=user, territory=region),
        ),
        (
            f"dashboard {province.code} ({province.name_fr})",
            lambda: dashboard(actor=user, territory=province),
        ),
        (
            f"members_per_thousand {nation.code}",
            lambda: members_per_thousand(actor=user, territory=nation),
        ),
        (f"page figures {nation.code} (both)", page(nation)),
        (f"page figures {region.code} (both)", page(region)),
        (
            f"campaign_progress {nation.code}",
            lambda: campaign_progress(actor=user, campaign=campaign, territory=nation),
        ),
    ]
    table = []
    for label, function in cases:
        connection.close()
        clock = time.perf_counter()
        result = function()
        cold = (time.perf_counter() - clock) * 1000
        times = []
        for _ in range(runs):
            clock = time.perf_counter()
            result = function()
            times.append((time.perf_counter() - clock) * 1000)
        if isinstance(result, dict):
            members = result["members"]
        elif isinstance(result, list):
            members = sum(count for _child, count, _rate in result)
        else:
            members = getattr(result, "total", "")
        table.append((label, members, cold, statistics.median(times), max(times)))
        print(
            f"  {label}: cold {cold:.0f} ms, warm p50 {statistics.median(times):.0f} ms,"
            f" max {max(times):.0f} ms"
        )
    print()
    print(f"| figures | members | cold ms | warm p50 ms | warm max ms |  ({runs} warm runs)")
    print("|---------|---------|---------|-------------|-------------|")
    for label, members, cold, p50, worst in table:
        shown = f"{members:,}" if isinstance(members, int) else members
        print(f"| {label} | {shown} | {cold:.1f} | {p50:.1f} | {worst:.1f} |")
    print()
    print("slowest queries of the national dashboard (one call):")
    slow = slowest_queries(cases[0][1], top=5)
    for ms, sql in slow:
        print(f"  {ms:7.1f} ms  {sql[:160]}")
    if show_plan:
        print()
        print("EXPLAIN (ANALYZE, BUFFERS) of the slowest:")
        print(explain(slow[0][1]))
    return table


def bench_writes(user, count: int) -> None:
    """What keeping the counts costs a write: `membership_change_status` (active -> suspended ->
    active) on `count` members, with the counting and with it replaced by a no-op, each pair of
    changes in its own transaction, rolled back. Also `person_update` of the gender."""
    import contextlib

    from django.db import transaction

    from abwab.people import services
    from abwab.people.models import Membership

    memberships = list(Membership.objects.filter(status="active").order_by("pk")[:count])
    counting = services.member_counts_track

    @contextlib.contextmanager
    def nothing(**_kwargs):
        yield

    class Rollback(Exception):
        pass

    def run(change) -> float:
        times = []
        for membership in memberships:
            clock = time.perf_counter()
            with contextlib.suppress(Rollback), transaction.atomic():
                change(membership)
                times.append((time.perf_counter() - clock) * 1000)
                raise Rollback
        return statistics.median(times)

    def status(membership):
        for to in ("suspended", "active"):
            services.membership_change_status(actor=user, membership=membership, to_status=to)

    def gender(membership):
        person = membership.person
        services.person_update(
            actor=user, person=person, gender="M" if person.gender == "F" else "F"
        )

    print(f"\nwrites ({count} members, median ms per transaction, rolled back):")
    print("| write | with the counts | without | cost of counting |")
    print("|-------|-----------------|---------|------------------|")
    for label, change in (("two status changes", status), ("person_update (gender)", gender)):
        with_counts = run(change)
        services.member_counts_track = nothing
        try:
            without = run(change)
        finally:
            services.member_counts_track = counting
        print(f"| {label} | {with_counts:.1f} | {without:.1f} | {with_counts - without:+.1f} |")


# --- export, each size and format in its own process -----------------------------------------


def export_worker(url: str, kind: str, rows: int) -> None:
    """Child process: export the first `rows` rows; prints one JSON line."""
    bench_environment()
    setup_django(url)
    from abwab.people.exports import csv_stream, export_header, export_rows

    user = national_admin()
    started = time.perf_counter()
    stream = itertools.islice(export_rows(actor=user), rows)
    count = 0

    def counted():
        nonlocal count
        for row in stream:
            count += 1
            yield row

    if kind == "csv":
        path = OUT / f"export-{rows}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            for line in csv_stream(counted(), export_header()):
                handle.write(line)
        size = path.stat().st_size
        path.unlink()
    elif kind == "xlsx":
        from abwab.people.exports import xlsx_file

        handle = xlsx_file(counted(), export_header())
        size = os.fstat(handle.fileno()).st_size
        handle.close()
    else:  # "none": Django set up and the actor loaded, the baseline
        size = 0
    print(json.dumps({"rows": count, "seconds": time.perf_counter() - started, "bytes": size}))


def run_export(url: str, kind: str, rows: int) -> dict:
    command = [sys.executable, "-m", "bench.reports", "--database-url", url]
    command += ["--export-worker", kind, "--export-size", str(rows)]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"export worker {kind} {rows} failed ({process.returncode})")
    result = json.loads(output.strip().splitlines()[-1])
    result["peak_mib"] = usage.ru_maxrss / 1024  # Linux: KiB
    return result


def bench_exports(url: str, sizes: list[int]) -> list[tuple]:
    table = []
    base = run_export(url, "none", 0)
    table.append(("baseline (setup only)", 0, 0.0, 0, base["peak_mib"]))
    print(f"  baseline: peak {base['peak_mib']:.0f} MiB")
    for kind in ("csv", "xlsx"):
        for size in sizes:
            result = run_export(url, kind, size)
            table.append(
                (kind, result["rows"], result["seconds"], result["bytes"], result["peak_mib"])
            )
            print(
                f"  {kind} {result['rows']:,} rows: {result['seconds']:.0f}s, "
                f"{result['bytes'] / 2**20:.0f} MiB file, peak RSS {result['peak_mib']:.0f} MiB",
                flush=True,
            )
    print()
    print("| export | rows | seconds | rows/s | file MiB | peak RSS MiB |")
    print("|--------|------|---------|--------|----------|--------------|")
    for kind, rows, seconds, size, peak in table:
        rate = f"{rows / seconds:,.0f}" if seconds else "-"
        print(f"| {kind} | {rows:,} | {seconds:.1f} | {rate} | {size / 2**20:.0f} | {peak:.0f} |")
    return table


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reports", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--checkins", type=int, default=100_000)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument(
        "--template", default="abwab_bench", help="database to copy when creating it ('' = none)"
    )
    parser.add_argument("--region", default="03")
    parser.add_argument("--province", default="03.531")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--export-rows",
        default="100000,1000000",
        help="comma-separated export sizes ('' skips the export)",
    )
    parser.add_argument("--no-dashboard", action="store_true")
    parser.add_argument("--writes", type=int, default=100, help="members changed to time writes")
    parser.add_argument("--export-worker", choices=["csv", "xlsx", "none"], help=argparse.SUPPRESS)
    parser.add_argument("--export-size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.export_worker:
        export_worker(args.database_url, args.export_worker, args.export_size)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    prepare(args.database_url, people=args.members, template=args.template or None)
    user = national_admin()
    load_members(args.members)
    campaign = load_checkins(args.checkins, user)
    count_members()
    if not args.no_dashboard:
        print(f"\ndashboard timings (cold: first call on a new connection; {args.runs} warm runs):")
        print(
            f"  uptime: {subprocess.run(['uptime'], capture_output=True, text=True).stdout.strip()}"
        )
        bench_dashboard(user, campaign, args.region, args.province, args.runs, args.explain)
    if args.writes:
        bench_writes(user, args.writes)
    sizes = [int(s) for s in args.export_rows.split(",") if s.strip()]
    if sizes:
        print("\nexports (each in its own process; peak RSS from os.wait4):")
        bench_exports(args.database_url, sizes)


if __name__ == "__main__":
    main()
