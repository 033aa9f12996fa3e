"""What one door request costs the application's CPU, whole: token, grants, gate, service, audit.

    .venv/bin/python -m bench.door_cpu --people 20000 --requests 300

Builds (or reuses) the load benchmark's database (``bench.load``'s ``build``), then sends N
sequential requests in this process through Django's whole stack (the WSGI handler with every
middleware, as ``django.test.Client`` drives it): ``GET /bench/ping`` (the floor: the stack with
no database), ``POST …/checkins`` and ``POST …/signups`` (half the sign-ups typed again from the
file, so the duplicate lookup finds someone), each with a desk's API token. Prints, per kind, this
process's CPU per request (``time.process_time``: the application's share; PostgreSQL's own CPU is
not in it) and its SQL statements per request. Unlike ``bench.door_cost`` (the service alone),
this includes the token's authentication, its grants and the audit line. Figures are printed,
never asserted; read them beside ``uptime``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import time

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/abwab_bench_door"


def _post(client, path: str, token: str, body: dict):
    return client.post(
        path,
        json.dumps(body, default=str),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def measure(send, calls: int, *, count: bool = False) -> dict:
    """Time `calls` requests made by `send(index)`; `count`: also count their SQL statements
    (which slows them: the timed run does not count)."""
    import contextlib

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu, queries = [], []
    for index in range(calls):
        captured = CaptureQueriesContext(connection) if count else contextlib.nullcontext()
        with captured:
            started = time.process_time()
            answer = send(index)
            cpu.append(time.process_time() - started)
        if answer.status_code >= 400:
            raise SystemExit(f"request {index} answered {answer.status_code}: {answer.content!r}")
        if count:
            queries.append(len(captured.captured_queries))
    return {
        "cpu_ms": statistics.mean(cpu) * 1000,
        "cpu_p50_ms": statistics.median(cpu) * 1000,
        "queries": statistics.mean(queries) if queries else 0,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.door_cpu", description=__doc__)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--offices", type=int, default=20)
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)

    from bench.load import build

    desks, sample, persons = build(
        args.database_url, args.people, args.offices, args.rebuild, args.seed
    )
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from bench.door_world import checkin_body, signup_body

    client = Client()
    rng = random.Random(args.seed)
    run = f"{os.getpid()}-{int(time.time())}"

    def ping(index):
        return client.get("/bench/ping")

    def checkin(index):
        desk = rng.choice(desks)
        body = checkin_body(f"cpu-c-{run}-{index}", desk, rng)
        return _post(client, f"/api/campaigns/events/{desk.event_id}/checkins", desk.token, body)

    def signup(index):
        desk = rng.choice(desks)
        person = rng.choice(sample) if rng.random() < 0.5 else None
        typed = (
            {
                "first_name_ar": person.first_name_ar,
                "last_name_ar": person.last_name_ar,
                "birth_date": person.birth_date,
                "phone": person.phone,
            }
            if person is not None
            else {
                "first_name_latin": f"Nouveau{index}",
                "last_name_latin": f"Visiteur{rng.randrange(10**6)}",
                "birth_date": datetime.date(1990, 1, 2),
            }
        )
        body = signup_body(f"cpu-s-{run}-{index}", desk, typed, rng)
        return _post(client, f"/api/campaigns/events/{desk.event_id}/signups", desk.token, body)

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"{persons:,} persons on file ({engine}); {args.requests} requests per kind; "
        f"load {os.getloadavg()}"
    )
    for kind, send in (("ping", ping), ("checkin", checkin), ("signup", signup)):
        counted = measure(send, min(20, args.requests), count=True)  # and warm-up
        result = measure(send, args.requests)
        print(
            f"{kind:8} CPU {result['cpu_ms']:.2f} ms/request (p50 {result['cpu_p50_ms']:.2f}), "
            f"SQL {counted['queries']:.1f}/request"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
