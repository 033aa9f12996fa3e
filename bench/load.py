"""Load at the door: check-ins and sign-ups (with the duplicate lookup) over a million people,
against gunicorn and PostgreSQL, beside the framework's own ceiling on the same server.

    .venv/bin/python -m bench.load --people 1000000 --duration 60

Builds once (kept and reused; ``--rebuild`` drops it) the PostgreSQL database ``abwab_loadbench``:
migrations, the territory, ``--people`` synthetic persons with their name keys (the loader of
``bench.door_lookup``), then open events at ``--offices`` offices with a volunteer and an API token
each. Starts gunicorn (``bench.server``: ``abwab.wsgi``, Abwab's settings, ``DB_CONN_MAX_AGE``
600) and, from one small asyncio client (aiohttp) on loopback, runs these phases, each
``--duration`` seconds:

1. ``GET /bench/ping`` as fast as the server answers: a trivial JSON view through the whole
   middleware stack, no database: the framework's ceiling. ``GET /healthz`` (one ``SELECT 1``) too.
2. ``POST .../checkins`` at the maximum rate (``--concurrency`` requests in flight).
3. ``POST .../signups`` at the maximum rate: half are persons already on file typed again (another
   script or spelling, sometimes a typo; the lookup finds them and, with ``"review"``, the member
   is saved with a review item), half are new; a fifth of the sign-ups ``"ask"`` (a 409 with the
   candidates when some are found, nothing saved).
4. The same two at half of their peak rate, open loop (a fixed arrival rate; latency counted from
   the moment a request was due, so a slow answer delays no later arrival): p50/p95/p99.

The client shares the machine's cores with gunicorn and PostgreSQL; its own CPU share is printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/abwab_load"


# The database ------------------------------------------------------------------------------------


def build(url: str, people: int, offices: int, rebuild: bool, seed: int):
    """Create or reuse the database; returns the desks and a sample of persons on file."""
    from bench.door_lookup import finish_load, load_people, prepare_database

    prepare_database(url, reuse=not rebuild)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.server_settings"
    os.environ.pop("BENCH_DB_NAME", None)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    from abwab.people.models import Person
    from abwab.territory import sources
    from abwab.territory.models import Level, Territory
    from abwab.territory.services import territory_load
    from bench.door_world import door_world
    from bench.synthetic import Generator

    call_command("migrate", verbosity=0)
    if not Territory.objects.exists():
        territory_load(rows=sources.from_package())
    count = Person.objects.count()
    if count < people:
        if count:
            print(f"{count:,} persons on file, fewer than {people:,}: loading again")
            Person.objects.all().delete()
        communes = list(Territory.objects.filter(level__gte=Level.COMMUNE, children__isnull=True))
        started = time.perf_counter()
        print(f"inserting {people:,} persons (once; reused by later runs)")
        load_people(people, Generator(seed), communes)
        finish_load()
        print(f"loaded in {time.perf_counter() - started:.0f}s")
    desks = door_world(offices=offices, tag="load", seed=seed)
    rng = random.Random(seed)
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    wanted = rng.sample(range(1, min(top, people) + 1), 4000)
    sample = list(Person.objects.filter(pk__in=wanted).select_related("territory"))
    return desks, sample, Person.objects.count()


# What the desks send ----------------------------------------------------------------------------


class Bodies:
    """Endless check-ins and sign-ups, made ahead of time so the client spends nothing on them."""

    def __init__(self, desks, sample, seed: int) -> None:
        from bench.door_lookup import _from_row, existing_query, new_query
        from bench.door_world import checkin_body, mobile, signup_body
        from bench.synthetic import Generator

        self.rng = random.Random(seed)
        self.desks = desks
        self.run = f"{os.getpid():x}{int(time.time()) % 10**6:x}"
        self.counter = 0
        self.cins = random.Random(self.run)
        self._checkin_body, self._signup_body = checkin_body, signup_body
        self._mobile = mobile
        gen = Generator(seed + 1)
        self.retyped = []
        for row in sample:
            query = existing_query(gen, row.pk, _from_row(gen, row), row.territory)
            query.pop("cin", None)  # a CIN on file cannot be given twice: that is a refusal
            self.retyped.append(query)
        self.new = [new_query(gen, None) for _ in range(4000)]

    def key(self, kind: str) -> str:
        self.counter += 1
        return f"load-{self.run}-{kind[0]}{self.counter}"

    def desk(self):
        return self.desks[self.rng.randrange(len(self.desks))]

    def checkin(self) -> tuple[str, object, dict]:
        desk = self.desk()
        return "checkins", desk, self._checkin_body(self.key("checkin"), desk, self.rng)

    def signup(self) -> tuple[str, object, dict]:
        rng = self.rng
        desk = self.desk()
        existing = rng.random() < 0.5
        query = dict(rng.choice(self.retyped if existing else self.new))
        query.pop("territory", None)
        if not existing:
            query["phone"] = self._mobile(rng) if rng.random() < 0.7 else ""
            if rng.random() < 0.3:
                query["cin"] = f"ZZ{self.cins.randrange(10**7):07d}"  # fresh for each run
        query.setdefault("gender", rng.choice("FM"))
        on_duplicate = "ask" if rng.random() < 0.2 else "review"
        return (
            "signups",
            desk,
            self._signup_body(self.key("signup"), desk, query, rng, on_duplicate),
        )


# Measuring ---------------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # ms
    statuses: dict = field(default_factory=dict)
    errors: int = 0
    client_cpu: float = 0.0  # share of one core
    server_cpu: float = 0.0  # gunicorn workers, share of one core
    database_cpu: float = 0.0  # the PostgreSQL backends serving them, share of one core
    machine_busy: float = 0.0  # all cores, share of the machine
    load: tuple[float, float] = (0.0, 0.0)  # `uptime`'s 1-minute load average, start and end
    rate: float | None = None  # the arrival rate asked for (open loop)

    @property
    def answered(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def pct(self, share: float) -> float:
        from bench.client import percentile

        return percentile(self.latencies, share)


def _ticks_of(pids: list[int]) -> dict[int, int]:
    """user + system CPU ticks of each process still alive."""
    ticks = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            ticks[pid] = int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:
            pass
    return ticks


def _cpu_ticks(pids: list[int]) -> int:
    return sum(_ticks_of(pids).values())


def _spent(before: dict[int, int], after: dict[int, int]) -> int:
    """Ticks spent between two readings; a process that appeared meanwhile (a backend opened by a
    worker during the phase) counts whole, one that ended counts what it had spent by the start."""
    return sum(ticks - before.get(pid, 0) for pid, ticks in after.items())


def load_average() -> float:
    """`uptime`'s 1-minute load average."""
    with open("/proc/loadavg") as handle:
        return float(handle.read().split()[0])


def _backends(database: str) -> list[int]:
    """The PostgreSQL backends connected to `database` (persistent: DB_CONN_MAX_AGE)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    command = handle.read().decode(errors="replace")
            except OSError:
                continue
            if command.startswith("postgres: ") and f" {database} " in command:
                pids.append(int(entry))
    return pids


def _machine() -> tuple[int, int]:
    with open("/proc/stat") as handle:
        values = [int(v) for v in handle.readline().split()[1:]]
    return sum(values), values[3] + values[4]  # total, idle + iowait


async def _request(http, method: str, url: str, token: str, body: dict | None, phase: Phase):
    import aiohttp

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        async with http.request(
            method, url, json=body, headers=headers, timeout=aiohttp.ClientTimeout(total=30)
        ) as answer:
            await answer.read()
            phase.statuses[answer.status] = phase.statuses.get(answer.status, 0) + 1
            return answer.status
    except (TimeoutError, aiohttp.ClientError, ConnectionError):
        phase.errors += 1
        return None


async def run_phase(
    http, server, phase: Phase, make, *, duration: float, concurrency: int, rate: float | None
) -> Phase:
    """Closed loop (`concurrency` requests in flight, each sent when the last one came back) when
    `rate` is None, else open loop at `rate` requests per second."""
    ticks = os.sysconf("SC_CLK_TCK")
    database = getattr(server, "database", "")
    load0 = load_average()
    server0 = _ticks_of(server.worker_pids())
    database0 = _ticks_of(_backends(database)) if database else {}
    cpu0, (total0, idle0) = time.process_time(), _machine()
    started = time.perf_counter()
    deadline = started + duration

    async def one(due: float) -> None:
        method, url, token, body = make()
        status = await _request(http, method, url, token, body, phase)
        if status is not None and status < 500:
            phase.latencies.append((time.perf_counter() - due) * 1000)

    if rate is None:

        async def loop() -> None:
            while (now := time.perf_counter()) < deadline:
                await one(now)

        await asyncio.gather(*(loop() for _ in range(concurrency)))
    else:
        phase.rate = rate
        tasks = set()
        i = 0
        while (due := started + i / rate) < deadline:
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            task = asyncio.create_task(one(due))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            i += 1
        if tasks:
            await asyncio.wait(tasks, timeout=60)
    phase.seconds = time.perf_counter() - started
    total1, idle1 = _machine()
    phase.client_cpu = (time.process_time() - cpu0) / phase.seconds
    server1 = _ticks_of(server.worker_pids())
    database1 = _ticks_of(_backends(database)) if database else {}
    phase.server_cpu = _spent(server0, server1) / ticks / phase.seconds
    phase.database_cpu = _spent(database0, database1) / ticks / phase.seconds
    phase.machine_busy = 1 - (idle1 - idle0) / max(1, total1 - total0)
    phase.load = (load0, load_average())
    return phase


async def benchmark(server, bodies: Bodies, args) -> list[Phase]:
    from bench.client import session

    base = server.url
    phases: list[Phase] = []

    def get(path: str):
        return lambda: ("GET", base + path, "", None)

    def post(kind: str):
        maker = bodies.checkin if kind == "checkins" else bodies.signup

        def make():
            path, desk, body = maker()
            return "POST", f"{base}/api/campaigns/events/{desk.event_id}/{path}", desk.token, body

        return make

    async with session(limit=max(args.concurrency, 64)) as http:
        # Warm-up: every worker imports, connects to the database and fills its caches.
        warm = Phase("warm-up")
        await run_phase(
            http, server, warm, post("signups"), duration=3, concurrency=args.concurrency, rate=None
        )
        for name, make in (
            ("ping (ceiling)", get("/bench/ping")),
            ("healthz (SELECT 1)", get("/healthz")),
            ("check-ins", post("checkins")),
            ("sign-ups", post("signups")),
        ):
            phase = await run_phase(
                http,
                server,
                Phase(name),
                make,
                duration=args.duration,
                concurrency=args.concurrency,
                rate=None,
            )
            phases.append(phase)
            print(
                f"  {name}: {phase.rps:,.0f} requests/s, {phase.server_cpu * 1000 / max(phase.rps, 1e-9):.1f}"
                f" + {phase.database_cpu * 1000 / max(phase.rps, 1e-9):.1f} ms CPU/request"
                f" (load {phase.load[0]:.1f} → {phase.load[1]:.1f})",
                flush=True,
            )
        peaks = {p.name: p.rps for p in phases}
        for name, kind in (("check-ins", "checkins"), ("sign-ups", "signups")):
            rate = max(1.0, peaks[name] / 2)
            phase = await run_phase(
                http,
                server,
                Phase(f"{name} at half peak"),
                post(kind),
                duration=args.duration,
                concurrency=args.concurrency,
                rate=rate,
            )
            phases.append(phase)
            print(
                f"  {phase.name} ({rate:,.0f}/s): p99 {phase.pct(0.99):.0f} ms"
                f" (load {phase.load[0]:.1f} → {phase.load[1]:.1f})",
                flush=True,
            )
    return phases


def report(phases: list[Phase]) -> str:
    ceiling = phases[0].rps
    lines = [
        f"{'phase':26}{'req/s':>9}{'of ceiling':>11}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'answers':>22}{'errors':>7}{'client':>8}{'gunicorn':>9}{'machine':>8}"
        f"{'app ms/req':>11}{'db ms/req':>10}{'load':>12}"
    ]
    for p in phases:
        statuses = " ".join(f"{k}:{v}" for k, v in sorted(p.statuses.items()))
        rate = f"{p.rps:,.0f}" if p.rate is None else f"{p.rps:,.0f}/{p.rate:,.0f}"
        lines.append(
            f"{p.name:26}{rate:>9}{p.rps / ceiling:>11.0%}{p.pct(0.5):>8.1f}{p.pct(0.95):>8.1f}"
            f"{p.pct(0.99):>8.1f}{statuses:>22}{p.errors:>7}{p.client_cpu:>8.0%}"
            f"{p.server_cpu:>9.0%}{p.machine_busy:>8.0%}"
            f"{p.server_cpu * 1000 / max(p.rps, 1e-9):>11.1f}"
            f"{p.database_cpu * 1000 / max(p.rps, 1e-9):>10.1f}"
            f"{f'{p.load[0]:.1f}→{p.load[1]:.1f}':>12}"
        )
    lines.append(
        "client and gunicorn: share of one core; machine: share of all cores busy (PostgreSQL "
        "and everything else included); app and db ms/req: CPU time of the gunicorn workers and of "
        "their PostgreSQL backends per answered request; open-loop rows show achieved/asked rate; "
        "load: `uptime`'s 1-minute load average at the phase's start and end (2 cores)."
    )
    return "\n".join(lines)


def snapshot(revision: str) -> tuple[Path, str]:
    """The tree committed at `revision`, extracted once under var/bench/; returns it and its label."""
    import subprocess

    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", revision],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    target = REPO / "var" / "bench" / f"code-{commit}"
    if not (target / "abwab").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.Popen(
            ["git", "-C", str(REPO), "archive", commit], stdout=subprocess.PIPE
        )
        subprocess.run(["tar", "-x", "-C", str(target)], stdin=archive.stdout, check=True)
        archive.wait()
    subject = subprocess.run(
        ["git", "-C", str(REPO), "log", "-1", "--format=%h %s", commit],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return target, f"commit {subject[:90]}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=60, help="seconds per phase")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--offices", type=int, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=("sync", "gthread"))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build it")
    parser.add_argument("--build-only", action="store_true", help="build the database, stop")
    parser.add_argument(
        "--snapshot",
        metavar="REV",
        help="serve the code committed at REV (git archive into a temporary directory) instead of "
        "the working tree, which may hold others' unfinished edits",
    )
    args = parser.parse_args(argv)

    from bench.server import Gunicorn

    desks, sample, persons = build(
        args.database_url, args.people, args.offices, args.rebuild, args.seed
    )
    if args.build_only:
        return
    bodies = Bodies(desks, sample, args.seed)
    from django.db import connections

    connections.close_all()
    log = REPO / "var" / "bench" / "load-gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    source, label = REPO, "working tree"
    if args.snapshot:
        source, label = snapshot(args.snapshot)
    server = Gunicorn(
        source=source,
        workers=args.workers,
        worker_class=args.worker_class,
        threads=args.threads,
        env={"DB_CONN_MAX_AGE": "600"},
        log_path=log,
    )
    server.database = args.database_url.rsplit("/", 1)[1]
    with server:
        print(
            f"gunicorn: {args.workers} {args.worker_class} workers"
            f"{f' × {args.threads} threads' if args.threads > 1 else ''}, {persons:,} persons, "
            f"{len(desks)} desks, {args.concurrency} requests in flight, {args.duration:.0f} s a phase;"
            f" code: {label}"
        )
        print(f"uptime: {os.popen('uptime').read().strip()}", flush=True)  # noqa: S605
        phases = asyncio.run(benchmark(server, bodies, args))
    print()
    print(report(phases))
    print(f"uptime: {os.popen('uptime').read().strip()}")  # noqa: S605


if __name__ == "__main__":
    main()
