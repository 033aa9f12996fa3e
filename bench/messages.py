"""Sending at scale: one send to N recipients through a real SMTP server (aiosmtpd) and the
loopback SMSC (SMPP), by the engine's worker in its own process, killed once half-way and resumed.

    .venv/bin/python -m bench.messages --recipients 100000
    .venv/bin/python -m bench.messages --recipients 20000 --engine postgres --sms-every 0

Builds a throwaway database (SQLite ``<var>/bench/messages.sqlite3`` or PostgreSQL
``abwab_bench_messages``) with N persons who agreed to convocations by email and, one in
``--sms-every``, by SMS too; one in ``--refuse-every`` has no consent at all. Queues one convocation
(``queue_send``: the persons are read, consents checked, texts rendered, keyed messages written),
then runs ``send_run`` in a child process against both servers, unthrottled (``--rate 0``) so the
number is the engine's own capacity. At ``--kill-at`` of the emails received the child is killed
with SIGKILL; another child resumes. Then it counts, on the servers' side:

* delivered: recipients whose mailbox got the email / phones that got every part of their SMS;
* failed: messages the database records as failed or bounced;
* duplicated: emails beyond one per mailbox, SMS parts beyond the message's count per phone;
* refused: persons without consent (nothing reached their address).

It prints messages per second (queueing and sending apart), and the worker's peak memory (the
largest resident set of the worker processes, ru_maxrss).
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/abwab_bench_messages"


def _setup_database(engine: str) -> dict:
    """Environment for this process and the workers: a fresh database, fast settings."""
    var = REPO / "var" / "bench" / "messages"
    env = {
        "ABWAB_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "abwab.settings",
        "MESSAGING_RATE_EMAIL": "0",
        "MESSAGING_RATE_SMS": "0",
        "MESSAGING_QUIET_FROM": "0",  # never quiet: a convocation is not held anyway
        "MESSAGING_QUIET_UNTIL": "0",
    }
    if engine == "postgres":
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
        name = url.rsplit("/", 1)[1]
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", name], check=True
        )
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
        env["DATABASE_URL"] = url
    else:
        shutil.rmtree(var, ignore_errors=True)
        var.mkdir(parents=True)
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    return env


class _Mailboxes:
    """aiosmtpd handler that only counts (memory stays flat): received per recipient."""

    def __init__(self):
        self.received: Counter = Counter()
        self.total = 0
        self.lock = threading.Lock()
        self.on_count = None  # callable(total) after each message

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received[rcpt] += 1
            self.total += 1
            total = self.total
        if self.on_count is not None:
            self.on_count(total)
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _populate(recipients: int, sms_every: int, refuse_every: int):
    """N persons with their consents (bulk inserts), and the send; returns (send, persons' ids)."""
    from django.utils import timezone

    from abwab.messaging.models import Send, SendKind
    from abwab.people.models import Consent, ConsentMedium, ConsentPurpose, Person
    from abwab.territory import sources
    from abwab.territory.models import Territory
    from abwab.territory.services import territory_load

    territory_load(rows=sources.from_package())
    commune = Territory.objects.filter(level=3).order_by("code").first()
    given = timezone.now() - datetime.timedelta(days=1)
    ids: list[int] = []
    chunk = 5000
    for start in range(0, recipients, chunk):
        persons = Person.objects.bulk_create(
            [
                Person(
                    first_name_ar="سعاد",
                    last_name_ar="العلوي",
                    first_name_latin="Souad",
                    last_name_latin=f"Bench{n}",
                    email=f"b{n}@bench.example",
                    phone=f"+2126{n:08d}" if sms_every and n % sms_every == 0 else "",
                    territory=commune,
                )
                for n in range(start, min(start + chunk, recipients))
            ]
        )
        consents = []
        for n, person in enumerate(persons, start):
            ids.append(person.pk)
            if refuse_every and n % refuse_every == refuse_every - 1:
                continue
            mediums = [ConsentMedium.EMAIL] + ([ConsentMedium.SMS] if person.phone else [])
            consents += [
                Consent(
                    person=person,
                    purpose=ConsentPurpose.CONVOCATIONS,
                    medium=medium,
                    text_version="2026-1",
                    channel="door",
                    given_at=given,
                )
                for medium in mediums
            ]
        Consent.objects.bulk_create(consents)
    send = Send.objects.create(
        kind=SendKind.CONVOCATION,
        purpose=ConsentPurpose.CONVOCATIONS,
        by_email=True,
        by_sms=bool(sms_every),
        territory=commune,
        filters={"bench": recipients},
        subject_ar="استدعاء {first_name}",
        subject_fr="Convocation",
        body_ar="السلام {first_name}، الاجتماع غدا على الساعة 18:00 بالمقر.",
        body_fr="Bonjour, la réunion est demain à 18h au siège.",
    )
    return send, ids


def _worker(send_id: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bench.messages", "--worker", str(send_id)],
        cwd=REPO,
        env={**os.environ, **env},
    )


def run(args) -> dict:
    env = _setup_database(args.engine)
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db.models import Count

    from abwab.messaging.engine import queue_send, send_resume
    from abwab.messaging.models import Message, MessageStatus
    from abwab.messaging.testing.smsc import LoopbackSmsc

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    send, ids = _populate(args.recipients, args.sms_every, args.refuse_every)
    print(f"populated {len(ids)} persons in {time.perf_counter() - started:.1f} s", flush=True)

    mailboxes = _Mailboxes()
    port = _free_port()
    controller = Controller(mailboxes, hostname="127.0.0.1", port=port)
    controller.start()
    smsc = LoopbackSmsc(record=False).start()
    env = {
        **env,
        "ABWAB_EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "ABWAB_SMS_URL": smsc.url,
        "SECRET_KEY": django.conf.settings.SECRET_KEY,
    }
    try:
        started = time.perf_counter()
        queue_send(None, send, ids)
        queued_in = time.perf_counter() - started
        messages = Message.objects.filter(send=send)
        to_send = messages.filter(status=MessageStatus.QUEUED).count()
        print(f"queued {messages.count()} messages in {queued_in:.1f} s", flush=True)

        emails_expected = messages.filter(medium="email", status=MessageStatus.QUEUED).count()
        kill_at = int(emails_expected * args.kill_at) if args.kill_at else 0
        worker = None
        killed = threading.Event()

        def maybe_kill(total):
            if kill_at and total >= kill_at and not killed.is_set():
                killed.set()
                os.kill(worker.pid, signal.SIGKILL)

        mailboxes.on_count = maybe_kill
        started = time.perf_counter()
        worker = _worker(send.pk, env)
        worker.wait()
        runs = 1
        if killed.is_set():
            print(f"worker killed (SIGKILL) after {mailboxes.total} emails; resuming", flush=True)
            send_resume(actor=None, send=send)
            worker = _worker(send.pk, env)
            worker.wait()
            runs = 2
        sent_in = time.perf_counter() - started
        time.sleep(1.0)  # the last receipts
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss

        statuses = dict(
            messages.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
        parts_of = dict(messages.filter(medium="sms").values_list("address", "parts"))
        email_addresses = set(
            messages.filter(medium="email")
            .exclude(status=MessageStatus.REFUSED)
            .values_list("address", flat=True)
        )
        delivered_email = sum(1 for a in email_addresses if mailboxes.received[a] >= 1)
        dup_email = sum(max(0, n - 1) for n in mailboxes.received.values())
        got = {a: smsc.per_destination[a.lstrip("+")] for a in parts_of}  # SMPP drops the "+"
        delivered_sms = sum(1 for a, p in parts_of.items() if p and got[a] >= p)
        dup_sms = sum(max(0, got[a] - p) for a, p in parts_of.items())
        refused = statuses.get(MessageStatus.REFUSED, 0)
        refused_reached = sum(  # what reached, on that channel, persons without its consent
            mailboxes.received[email]
            if medium == "email"
            else smsc.per_destination[phone.lstrip("+")]
            for medium, email, phone in messages.filter(status=MessageStatus.REFUSED).values_list(
                "medium", "person__email", "person__phone"
            )
            if (email if medium == "email" else phone)
        )
        failed = statuses.get(MessageStatus.FAILED, 0) + statuses.get(MessageStatus.BOUNCED, 0)
        result = {
            "recipients": args.recipients,
            "engine": args.engine,
            "messages": sum(statuses.values()),
            "to_send": to_send,
            "queued_per_s": round(sum(statuses.values()) / queued_in),
            "sent_per_s": round(to_send / sent_in),
            "worker_runs": runs,
            "worker_peak_mib": round(peak_kib / 1024, 1),
            "email_delivered": delivered_email,
            "sms_delivered": delivered_sms,
            "failed": failed,
            "duplicated": dup_email + dup_sms,
            "refused": refused,
            "refused_reached": refused_reached,
            "statuses": statuses,
        }
    finally:
        controller.stop()
        smsc.stop()
    return result


def worker_main(send_id: int) -> None:
    import django

    django.setup()
    from abwab.messaging.engine import send_run

    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("send_run(send_id)", globals(), locals(), os.environ["BENCH_PROFILE"])
    else:
        send_run(send_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--sms-every", type=int, default=5, help="one person in N also by SMS (0: none)"
    )
    parser.add_argument("--refuse-every", type=int, default=50, help="one in N has no consent")
    parser.add_argument(
        "--kill-at", type=float, default=0.5, help="kill the worker at this share (0: never)"
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker_main(args.worker)
        return
    result = run(args)
    for key, value in result.items():
        print(f"{key:>16}: {value}")
    ok = result["duplicated"] == 0 and result["refused_reached"] == 0 and result["failed"] == 0
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
