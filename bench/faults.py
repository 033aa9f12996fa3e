"""Faults at the door: kill application workers, restart PostgreSQL and drop the offline queue's
connections in the middle of a run whose desks retry, then reconcile every entry with the database.

    .venv/bin/python -m bench.faults --engine postgres --submissions 2000
    .venv/bin/python -m bench.faults --engine sqlite --submissions 500

Starts gunicorn (``bench.server``) on a throwaway database (PostgreSQL ``abwab_faults``, or the
SQLite file ``var/bench/faults.sqlite3``), creates open events at ``--offices`` offices with a
volunteer and an API token each, a few persons already on file, and submits ``--submissions``
entries, each with its own client key: door check-ins and sign-ups posted one by one (some sign-ups
ask about duplicates first: on a 409 the desk sends the same entry again with ``"review"``), and
offline-queue batches posted to ``/sync`` through a proxy that drops connections before the request
or after it but before the answer. Every desk retries an entry with the same key on any error or
timeout (bounded attempts, doubling backoff). As the entries settle, one worker is killed (kill -9;
the master forks another) at 20 %, 60 % and 80 % of the run and, on PostgreSQL, the cluster is
restarted at 40 %. Then every entry is looked up in the database:

* sent: entries submitted; acknowledged: entries the desk got an answer for (201/200, or "stored" /
  "already" in a sync result);
* stored: entries found saved in full (the check-in by its key; for a sign-up also its person,
  found by the e-mail address only that entry carries, and the person's membership);
* lost: acknowledged but not stored; duplicated: stored more than once (check-ins per key, persons
  per e-mail, memberships per person); mismatched: the answer's ids differ from the stored rows.

The scenario is ``run_scenario`` (used by abwab/campaigns/tests/test_faults.py at a small size).
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import datetime
import os
import random
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/abwab_faults"

FIRST = [("سعاد", "Souad", "F"), ("كريم", "Karim", "M"), ("فاطمة", "Fatima", "F"),
         ("يوسف", "Youssef", "M"), ("خديجة", "Khadija", "F"), ("عمر", "Omar", "M"),
         ("نادية", "Nadia", "F"), ("حسن", "Hassan", "M"), ("مريم", "Meryem", "F"),
         ("رشيد", "Rachid", "M")]  # fmt: skip
LAST = [("العلوي", "Alaoui"), ("بناني", "Bennani"), ("الإدريسي", "Idrissi"), ("التازي", "Tazi"),
        ("الفاسي", "Fassi"), ("برادة", "Berrada"), ("الشرقاوي", "Cherkaoui"), ("الزياني", "Ziani")]  # fmt: skip


@dataclass
class Entry:
    """One thing a volunteer entered: a check-in or a sign-up, posted alone or in a sync batch."""

    key: str
    kind: str  # "checkin" | "signup"
    channel: str  # "direct" | "sync"
    desk: object
    body: dict
    email: str = ""
    asked: bool = False  # posted first with on_duplicate="ask"
    status: int | None = None
    answer: dict | None = None
    attempts: int = 0
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0  # 409 possible_duplicates answers received

    @property
    def acknowledged(self) -> bool:
        if self.channel == "sync":
            return bool(self.answer) and self.answer.get("status") in ("stored", "already")
        return self.status in (200, 201)


@dataclass
class Reconciliation:
    sent: int = 0
    acknowledged: int = 0
    stored: int = 0
    lost: int = 0
    duplicated: int = 0
    mismatched: int = 0
    stored_unacknowledged: int = 0
    by_kind: dict = field(default_factory=dict)
    attempts: int = 0
    conflicts: int = 0
    worker_kills: int = 0
    postgres_restarts: int = 0
    proxy_fates: dict = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    unanswered: list = field(default_factory=list)  # a few entries not acknowledged, to see why

    def table(self) -> str:
        lines = [
            f"{'':24}{'sent':>8}{'acked':>8}{'stored':>8}{'lost':>8}{'dup':>8}{'mismatch':>10}",
        ]
        for label, row in self.by_kind.items():
            lines.append(
                f"{label:24}{row['sent']:>8}{row['acknowledged']:>8}{row['stored']:>8}"
                f"{row['lost']:>8}{row['duplicated']:>8}{row['mismatched']:>10}"
            )
        lines.append(
            f"{'total':24}{self.sent:>8}{self.acknowledged:>8}{self.stored:>8}{self.lost:>8}"
            f"{self.duplicated:>8}{self.mismatched:>10}"
        )
        lines.append(
            f"faults: {self.worker_kills} workers killed, {self.postgres_restarts} PostgreSQL "
            f"restarts, proxy connections {self.proxy_fates}; {self.attempts} attempts for "
            f"{self.sent} entries ({self.attempts - self.sent} retries), {self.conflicts} "
            f"duplicate warnings answered with review, stored but never acknowledged "
            f"{self.stored_unacknowledged}; errors seen {dict(self.errors)}; {self.seconds:.1f} s"
        )
        lines.extend(f"not acknowledged: {entry}" for entry in self.unanswered)
        return "\n".join(lines)


# The persons on file and what the desks will type --------------------------------------------------


def people_on_file(desks, count: int, seed: int = 1) -> list[dict]:
    """Create `count` persons (in the desks' communes) that some sign-ups will type again."""
    from abwab.people.services import person_create
    from abwab.territory.models import Territory

    rng = random.Random(seed)
    made = []
    for i in range(count):
        desk = desks[i % len(desks)]
        first, last = rng.choice(FIRST), rng.choice(LAST)
        fields = {
            "first_name_ar": first[0],
            "last_name_ar": last[0],
            "first_name_latin": first[1],
            "last_name_latin": last[1],
            "gender": first[2],
            "birth_date": datetime.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
        }
        person_create(
            actor=None, territory=Territory.objects.get(code=desk.territory_code), **fields
        )
        made.append(fields)
    return made


def plan_entries(
    desks,
    on_file: list[dict],
    count: int,
    *,
    run: str,
    seed: int = 1,
    signups: bool = True,
    sync: bool = True,
) -> list[Entry]:
    """`count` entries: 35 % check-ins and 30 % sign-ups posted alone (a third of the sign-ups ask
    about duplicates first), 35 % in offline batches (half check-ins, half sign-ups); a third of the
    sign-ups type a person already on file again (so the duplicate lookup finds them)."""
    from bench.door_world import checkin_body, signup_body

    rng = random.Random(seed)
    cins = random.Random(run)
    entries = []
    for i in range(count):
        desk = desks[rng.randrange(len(desks))]
        key = f"{run}-{i:06d}"
        roll = rng.random()
        channel = "sync" if roll >= 0.65 and sync else "direct"
        kind = (
            "checkin"
            if (roll < 0.35 or (channel == "sync" and rng.random() < 0.5) or not signups)
            else "signup"
        )
        if kind == "checkin":
            entries.append(Entry(key, kind, channel, desk, checkin_body(key, desk, rng)))
            continue
        email = f"{key}@faults.example"
        if on_file and rng.random() < 1 / 3:
            person = dict(rng.choice(on_file), email=email)
        else:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            person = {
                "first_name_ar": first[0],
                "last_name_ar": last[0],
                "first_name_latin": first[1] if rng.random() < 0.5 else "",
                "last_name_latin": last[1] if rng.random() < 0.5 else "",
                "gender": first[2],
                "birth_date": datetime.date(1950 + rng.randrange(55), 1 + i % 12, 1 + i % 28),
                "email": email,
                # Fresh CINs (a CIN on file would sign its holder up, who is a member already).
                "cin": f"FT{cins.randrange(10**7):07d}" if rng.random() < 0.3 else "",
            }
        asked = channel == "direct" and rng.random() < 1 / 3
        body = signup_body(key, desk, person, rng, "ask" if asked else "review")
        entries.append(Entry(key, kind, channel, desk, body, email=email, asked=asked))
    # CINs must be unique among the new persons: a clash would be a refusal, not a fault.
    seen: set[str] = set()
    for entry in entries:
        cin = entry.body.get("person", {}).get("cin")
        if cin and cin in seen:
            entry.body["person"]["cin"] = ""
        seen.add(cin)
    return entries


# Sending, with faults ----------------------------------------------------------------------------


async def _send_direct(http, base: str, entry: Entry, policy, rng) -> None:
    from bench.client import Outcome, submit

    path = "checkins" if entry.kind == "checkin" else "signups"
    url = f"{base}/api/campaigns/events/{entry.desk.event_id}/{path}"
    outcome = Outcome()
    await submit(http, url, entry.desk.token, entry.body, policy=policy, rng=rng, outcome=outcome)
    if (
        outcome.status == 409
        and (outcome.body or {}).get("code") == "possible_duplicates"
        and entry.body.get("on_duplicate") == "ask"
    ):
        # The volunteer looks at the candidates and saves anyway, for a reviewer to settle.
        entry.conflicts += 1
        entry.body = {**entry.body, "on_duplicate": "review"}
        await submit(
            http, url, entry.desk.token, entry.body, policy=policy, rng=rng, outcome=outcome
        )
    entry.status, entry.answer = outcome.status, outcome.body
    entry.attempts, entry.errors = outcome.attempts, outcome.errors


async def _send_batch(http, proxy_base: str, batch: list[Entry], policy, rng) -> None:
    from bench.client import Outcome, submit
    from bench.door_world import sync_entry

    desk = batch[0].desk
    url = f"{proxy_base}/api/campaigns/events/{desk.event_id}/sync"
    payload = {"entries": [sync_entry(e.kind, e.body) for e in batch]}
    outcome = await submit(
        http, url, desk.token, payload, policy=policy, rng=rng, outcome=Outcome()
    )
    results = {}
    if outcome.status == 200 and outcome.body:
        results = {r.get("client_key"): r for r in outcome.body.get("results", [])}
    for entry in batch:
        entry.status = outcome.status
        entry.answer = results.get(entry.key)
        entry.attempts, entry.errors = outcome.attempts, outcome.errors


async def _run(
    server,
    entries: list[Entry],
    *,
    concurrency: int,
    batch_size: int,
    restart_postgres: bool,
    drop_before: float,
    drop_after: float,
    seed: int,
    result: Reconciliation,
) -> None:
    from bench.client import DroppingProxy, RetryPolicy, session
    from bench.server import postgres_restart

    rng = random.Random(seed)
    policy = RetryPolicy()
    proxy = await DroppingProxy(
        server.port, drop_before=drop_before, drop_after=drop_after, seed=seed
    ).start()
    proxy_base = f"http://127.0.0.1:{proxy.port}"

    # Work items: a direct entry, or a batch of sync entries of one desk (its offline queue).
    work: list[tuple[str, list[Entry]]] = []
    queues: dict[int, list[Entry]] = {}
    for entry in entries:
        if entry.channel == "direct":
            work.append(("direct", [entry]))
        else:
            queue = queues.setdefault(entry.desk.event_id, [])
            queue.append(entry)
            if len(queue) == batch_size:
                work.append(("sync", queue))
                queues[entry.desk.event_id] = []
    work.extend(("sync", queue) for queue in queues.values() if queue)
    rng.shuffle(work)
    total = len(work)
    done = 0
    pending = asyncio.Queue()
    for item in work:
        pending.put_nowait(item)

    async def desk_loop(http) -> None:
        nonlocal done
        while True:
            try:
                channel, batch = pending.get_nowait()
            except asyncio.QueueEmpty:
                return
            if channel == "direct":
                await _send_direct(http, server.url, batch[0], policy, rng)
            else:
                await _send_batch(http, proxy_base, batch, policy, rng)
            done += 1

    async def fault_loop() -> None:
        schedule = [(0.2, "kill"), (0.6, "kill"), (0.8, "kill")]
        if restart_postgres:
            schedule.append((0.4, "restart"))
        for share, fault in sorted(schedule):
            while done < share * total:
                await asyncio.sleep(0.005)
            if fault == "kill":
                if server.kill_worker(rng) is not None:
                    result.worker_kills += 1
            else:
                await asyncio.to_thread(postgres_restart)
                result.postgres_restarts += 1

    async with session(limit=concurrency * 2) as http:
        faults = asyncio.create_task(fault_loop())
        await asyncio.gather(*(desk_loop(http) for _ in range(concurrency)))
        if not faults.done():  # a run too short for the last faults: they are owed, still
            await asyncio.wait_for(faults, timeout=120)
    await proxy.close()
    result.proxy_fates = dict(proxy.fates)


def run_scenario(
    server,
    desks,
    *,
    submissions: int,
    on_file: list[dict],
    restart_postgres: bool,
    concurrency: int = 8,
    batch_size: int = 5,
    drop_before: float = 0.2,
    drop_after: float = 0.2,
    seed: int = 1,
    run: str | None = None,
    signups: bool = True,
    sync: bool = True,
) -> Reconciliation:
    """Submit `submissions` entries to the running `server` with faults; reconcile; return the
    figures. This process's own database connections are closed first (a PostgreSQL restart would
    cut them); the reconciliation opens new ones."""
    from django.db import connections

    result = Reconciliation()
    entries = plan_entries(
        desks,
        on_file,
        submissions,
        run=run or uuid.uuid4().hex[:10],
        seed=seed,
        signups=signups,
        sync=sync,
    )
    connections.close_all()
    started = time.perf_counter()
    # In its own thread: the suite's browser tests leave Playwright's event loop running in this one,
    # and asyncio.run refuses to start inside a running loop.
    run_in_thread(
        _run(
            server,
            entries,
            concurrency=concurrency,
            batch_size=batch_size,
            restart_postgres=restart_postgres,
            drop_before=drop_before,
            drop_after=drop_after,
            seed=seed,
            result=result,
        )
    )
    result.seconds = time.perf_counter() - started
    reconcile(entries, result)
    return result


def run_in_thread(coroutine):
    """asyncio.run(coroutine) in a thread of its own, whatever loop runs in the caller's."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# Reconciliation ----------------------------------------------------------------------------------


def reconcile(entries: list[Entry], result: Reconciliation) -> Reconciliation:
    """Look every entry up in the database and fill in the figures."""
    from django.db.models import Count

    from abwab.campaigns.models import CheckIn
    from abwab.people.models import Membership, MembershipStatus, Person

    keys = [e.key for e in entries]
    checkins: dict[str, list[tuple[int, int | None]]] = {}
    for start in range(0, len(keys), 500):
        for pk, key, person_id in CheckIn.objects.filter(
            client_key__in=keys[start : start + 500]
        ).values_list("pk", "client_key", "person_id"):
            checkins.setdefault(key, []).append((pk, person_id))
    emails = [e.email for e in entries if e.email]
    persons: dict[str, list[int]] = {}
    members: dict[int, int] = {}
    for start in range(0, len(emails), 500):
        chunk = emails[start : start + 500]
        for pk, email in Person.objects.filter(email__in=chunk).values_list("pk", "email"):
            persons.setdefault(email, []).append(pk)
        for row in (
            Membership.objects.filter(person__email__in=chunk)
            .exclude(status=MembershipStatus.ENDED)
            .values("person_id")
            .annotate(n=Count("id"))
        ):
            members[row["person_id"]] = row["n"]

    for entry in entries:
        label = f"{entry.kind} ({entry.channel})"
        row = result.by_kind.setdefault(
            label,
            dict.fromkeys(
                ("sent", "acknowledged", "stored", "lost", "duplicated", "mismatched"), 0
            ),
        )
        found = checkins.get(entry.key, [])
        duplicated = len(found) > 1
        if entry.kind == "checkin":
            stored = len(found) >= 1
        else:
            people = persons.get(entry.email, [])
            duplicated = duplicated or len(people) > 1 or any(members.get(p, 0) > 1 for p in people)
            stored = (
                bool(found)
                and len(people) >= 1
                and found[0][1] in people
                and members.get(found[0][1], 0) >= 1
            )
        acked = entry.acknowledged
        mismatched = acked and stored and not _answer_matches(entry, found[0])
        values = {
            "sent": 1,
            "acknowledged": acked,
            "stored": stored,
            "lost": acked and not stored,
            "duplicated": duplicated,
            "mismatched": mismatched,
        }
        for name, value in values.items():
            row[name] += int(value)
            setattr(result, name, getattr(result, name) + int(value))
        result.stored_unacknowledged += int(stored and not acked)
        if not acked and len(result.unanswered) < 5:
            result.unanswered.append(
                (entry.key, entry.kind, entry.channel, entry.status, entry.answer)
            )
        result.attempts += entry.attempts
        result.conflicts += entry.conflicts
        result.errors.update(entry.errors)
    return result


def _answer_matches(entry: Entry, stored: tuple[int, int | None]) -> bool:
    answer = entry.answer or {}
    checkin_id, person_id = stored
    if entry.channel == "sync":
        return answer.get("checkin_id") == checkin_id
    if entry.kind == "checkin":
        return answer.get("id") == checkin_id
    return answer.get("checkin_id") == checkin_id and answer.get("person_id") == person_id


def available(base: str) -> dict[str, bool]:
    """Which door operations the server offers (from its OpenAPI schema)."""
    import json
    import urllib.request

    with urllib.request.urlopen(base + "/api/openapi.json", timeout=10) as answer:  # noqa: S310
        paths = json.load(answer)["paths"]
    return {
        "signups": "/api/campaigns/events/{event_id}/signups" in paths,
        "sync": "/api/campaigns/events/{event_id}/sync" in paths,
    }


# The command ---------------------------------------------------------------------------------------


def setup(engine: str, database_url: str, offices: int, on_file: int):
    """Configure Django in this process for the throwaway database; make the desks."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.server_settings"
    if engine == "postgres":
        from bench.door_lookup import prepare_database

        prepare_database(database_url, reuse=True)
        os.environ["DATABASE_URL"] = database_url
        os.environ.pop("BENCH_DB_NAME", None)
    else:
        path = REPO / "var" / "bench" / "faults.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        os.environ.pop("DATABASE_URL", None)
        os.environ["BENCH_DB_NAME"] = str(path)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    from abwab.territory import sources
    from abwab.territory.models import Territory
    from abwab.territory.services import territory_load
    from bench.door_world import door_world

    call_command("migrate", verbosity=0)
    if not Territory.objects.exists():
        territory_load(rows=sources.from_package())
    desks = door_world(offices=offices, tag="faults")
    people = people_on_file(desks, on_file)
    return desks, people


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.faults", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--engine", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--database-url", default=DEFAULT_PG)
    parser.add_argument("--offices", type=int, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--no-restart", action="store_true", help="PostgreSQL: kill workers only, no restart"
    )
    args = parser.parse_args(argv)

    from bench.server import Gunicorn

    desks, people = setup(args.engine, args.database_url, args.offices, on_file=40)
    log = REPO / "var" / "bench" / "faults-gunicorn.log"
    with Gunicorn(workers=args.workers, log_path=log) as server:
        print(
            f"gunicorn {server.workers} sync workers on {server.url}, {args.engine}; "
            f"{args.submissions} entries from {args.concurrency} desks"
        )
        result = run_scenario(
            server,
            desks,
            submissions=args.submissions,
            on_file=people,
            restart_postgres=args.engine == "postgres" and not args.no_restart,
            concurrency=args.concurrency,
            seed=args.seed,
            **available(server.url),
        )
    print(result.table())
    print(f"uptime: {os.popen('uptime').read().strip()}")  # noqa: S605
    ok = result.lost == 0 and result.duplicated == 0 and result.acknowledged == result.sent
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
