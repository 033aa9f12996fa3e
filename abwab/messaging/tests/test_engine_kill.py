"""A send killed half-way (SIGKILL of the worker's process, against a real SMTP server) and
resumed delivers each message exactly once: at the three places a kill can land."""

import os
import random
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from abwab.messaging.engine import queue_send, send_resume
from abwab.messaging.models import Message, MessageStatus, Send, SendStatus
from abwab.messaging.tests.helpers import CONVOCATION_BY_EMAIL, person_with, send_for
from abwab.territory.models import Territory

RECIPIENTS = 30
KILL_AT = 12  # the worker dies around the twelfth message
ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{config['NAME']}"
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    return (
        f"postgres://{config['USER']}{password}@{config['HOST'] or 'localhost'}:"
        f"{config['PORT'] or 5432}/{config['NAME']}"
    )


def _worker(send_id: int, smtp, secret_key: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": secret_key,
        "ABWAB_EMAIL_URL": f"smtp://{smtp.host}:{smtp.port}",
        "MESSAGING_RATE_EMAIL": "100",
        "ABWAB_TASKS_IMMEDIATE": "1",
    }
    return subprocess.Popen(  # noqa: S603 (our own module, run with this interpreter)
        [sys.executable, "-m", "abwab.messaging.tests.worker", str(send_id)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("where", ["after_the_final_dot", "before_the_data", "anywhere"])
def test_a_send_killed_half_way_and_resumed_delivers_each_message_once(
    transactional_territory, smtp_server, settings, where
):
    # the jobs queue_send and send_resume start wait in the database: the processes below run them
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # given thirty persons who agreed to convocations by email, queued in one send
    commune = Territory.objects.filter(level=3).order_by("code").first()
    people = [
        person_with(commune, n, consents=CONVOCATION_BY_EMAIL, prefix="kill")
        for n in range(RECIPIENTS)
    ]
    send = send_for(commune)
    queue_send(None, send, people)
    worker = None
    killed = threading.Event()

    def kill():
        if not killed.is_set():
            killed.set()
            os.kill(worker.pid, signal.SIGKILL)

    # when the worker's process is killed half-way:
    if where == "after_the_final_dot":
        # the relay has the message; the worker dies waiting for its "250"
        smtp_server.on_data = lambda message: len(smtp_server.messages) == KILL_AT and kill()
    elif where == "before_the_data":
        # the worker has claimed the message; the relay has not got its text
        rcpts = Counter()

        def on_rcpt(address):
            rcpts["n"] += 1
            if rcpts["n"] == KILL_AT:
                kill()

        smtp_server.on_rcpt = on_rcpt
    else:
        # at a moment nobody chose, a few milliseconds after a message arrived
        smtp_server.on_data = lambda message: (
            len(smtp_server.messages) == KILL_AT
            and (threading.Timer(random.uniform(0, 0.03), kill).start())
        )
    worker = _worker(send.pk, smtp_server, settings.SECRET_KEY)
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == -signal.SIGKILL, (out, err)
    left = Message.objects.filter(send=send)
    assert 0 < smtp_server.per_recipient().total() < RECIPIENTS
    sending = list(left.filter(status=MessageStatus.SENDING))
    # (the rest of the claimed batch is "sending" too, not yet handed over)
    handed = [m for m in sending if m.sent_at is not None]
    if where == "after_the_final_dot":  # recorded as handed over before the dot went out
        assert len(handed) == 1 and smtp_server.mailbox(handed[0].address)
    elif where == "before_the_data":
        assert sending and handed == []
    # and the send is resumed by another worker
    smtp_server.on_data = smtp_server.on_rcpt = None
    send_resume(actor=None, send=send)
    resumed = _worker(send.pk, smtp_server, settings.SECRET_KEY)
    out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    # then every recipient's mailbox holds exactly one message
    assert smtp_server.per_recipient() == Counter({p.email: 1 for p in people})
    assert {m.status for m in left.all()} == {MessageStatus.SENT}
    send.refresh_from_db()
    assert (send.status, send.total, send.done) == (SendStatus.DONE, RECIPIENTS, RECIPIENTS)
    assert Send.objects.count() == 1
