"""What one visitor costs the application: the door service called in-process, timed per call.

    .venv/bin/python -m bench.door_cost --people 100000 --calls 500

Builds (or reuses) the load benchmark's database (``bench.load``'s ``build``: territory, N
synthetic persons, open events with a volunteer's API token each), then runs, in this process, what
a request to ``POST …/checkins`` and ``POST …/signups`` runs below the HTTP layer: the token's user
and grants, the event through the scope gate (with the entry key's lookup), and the door service
(``checkin_record``, ``door_signup_entry`` with the duplicate lookup). Prints, per kind, the CPU
time of this process per call (``time.process_time``: the application's share; the database's
own CPU is not in it on PostgreSQL), the wall time and the SQL statements per call. Figures are
printed, never asserted; read them beside ``uptime``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/abwab_bench_door"


def _request(kind: str, desk, body: dict, call):
    """One desk entry as the API runs it after parsing: token, gate, service."""
    from abwab.accounts.tokens import token_user
    from abwab.campaigns.door import desk_events
    from abwab.core.scope import get_visible_or_404

    user = token_user(desk.token)
    key = body["client_key"] if kind == "signup" else ""
    event = get_visible_or_404(user, desk_events(user, key), pk=desk.event_id)
    return call(user, event, body)


def _checkin(user, event, body):
    from abwab.campaigns.door import checkin_record
    from abwab.territory.models import Territory

    code = body.pop("territory_code")
    territory = Territory.objects.get(code=code)
    return checkin_record(actor=user, event=event, territory=territory, **body)


def _signup(user, event, body):
    from abwab.campaigns.door_entries import desk_commune, door_signup_entry

    visit = body.get("checkin") or {}
    return door_signup_entry(
        actor=user,
        event=event,
        client_key=body["client_key"],
        checkin=visit,
        person=body["person"],
        consent_given=True,
        territory=desk_commune(event, visit.get("territory_code")),
        on_duplicate="review",
    )


def measure(kind: str, desks, make, calls: int, *, count: bool = False) -> dict:
    """Time `calls` entries; `count`: also count their SQL statements (which slows them: the
    timed run does not count)."""
    import contextlib

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu, wall, queries = [], [], []
    call = _checkin if kind == "checkin" else _signup
    for index in range(calls):
        desk, body = make(index)
        captured = CaptureQueriesContext(connection) if count else contextlib.nullcontext()
        with captured:
            started_cpu, started = time.process_time(), time.perf_counter()
            _request(kind, desk, body, call)
            cpu.append(time.process_time() - started_cpu)
            wall.append(time.perf_counter() - started)
        if count:
            queries.append(len(captured.captured_queries))
    return {
        "cpu_ms": statistics.mean(cpu) * 1000,
        "cpu_p50_ms": statistics.median(cpu) * 1000,
        "wall_ms": statistics.mean(wall) * 1000,
        "queries": statistics.mean(queries) if queries else 0,
        "queries_max": max(queries, default=0),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.door_cost", description=__doc__)
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--offices", type=int, default=50)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)

    from bench.load import build

    desks, sample, persons = build(
        args.database_url, args.people, args.offices, args.rebuild, args.seed
    )
    from django.conf import settings

    settings.DEBUG = False
    from bench.door_world import checkin_body, signup_body

    rng = random.Random(args.seed)
    run = f"{os.getpid()}-{int(time.time())}"

    def checkin(index):
        desk = rng.choice(desks)
        return desk, checkin_body(f"cost-c-{run}-{index}", desk, rng)

    def signup(index):
        desk = rng.choice(desks)
        known = rng.random() < 0.5  # half typed again from the file, half new people
        person = rng.choice(sample) if known else None
        typed = (
            {
                "first_name_ar": person.first_name_ar,
                "last_name_ar": person.last_name_ar,
                "birth_date": person.birth_date,
                "phone": person.phone,
            }
            if known
            else {
                "first_name_latin": f"Nouveau{index}",
                "last_name_latin": f"Visiteur{rng.randrange(10**6)}",
                "birth_date": datetime.date(1990, 1, 2),
            }
        )
        body = signup_body(f"cost-s-{run}-{index}", desk, typed, rng)
        return desk, body

    print(f"{persons:,} persons on file; {args.calls} calls per kind; load {os.getloadavg()}")
    for kind, make in (("checkin", checkin), ("signup", signup)):
        counted = measure(kind, desks, make, min(20, args.calls), count=True)  # and warm-up
        result = measure(kind, desks, make, args.calls)
        print(
            f"{kind:8} CPU {result['cpu_ms']:.2f} ms/call (p50 {result['cpu_p50_ms']:.2f}), "
            f"wall {result['wall_ms']:.2f} ms, SQL {counted['queries']:.1f}/call "
            f"(max {counted['queries_max']})"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
