"""Shared fixtures of the messaging tests: real servers on loopback.

`smtp_server`: an aiosmtpd SMTP server in a thread; yields an `SmtpServer` with host, port and
the messages received (parsed), which can be told to refuse a recipient (5xx), answer "try later"
(4xx) a number of times, or call a hook on RCPT / DATA (the kill test stops a worker there).
`smtp_settings`: the same server set as Django's mail backend (the engine's SMTP backend).
"""

import email
import email.policy
import socket
import threading
from collections import Counter
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller


@dataclass
class SmtpServer:
    host: str
    port: int
    messages: list = field(default_factory=list)  # email.message.EmailMessage, as received
    refuse: dict = field(default_factory=dict)  # address -> (code, text) answered to RCPT TO
    busy: Counter = field(default_factory=Counter)  # address -> how many 451 before accepting
    on_rcpt: object = None  # callable(address) run before answering RCPT TO
    on_data: object = None  # callable(message) run after recording, before answering 250
    lock: threading.Lock = field(default_factory=threading.Lock)

    def mailbox(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if address in m["X-Rcpt-To"].split(",")]

    def per_recipient(self) -> Counter:
        with self.lock:
            return Counter(
                rcpt for m in self.messages for rcpt in m["X-Rcpt-To"].split(",") if rcpt
            )


class _Handler:
    def __init__(self, server: SmtpServer):
        self.server = server

    async def handle_RCPT(self, smtp_server, session, envelope, address, rcpt_options):
        server = self.server
        if server.on_rcpt is not None:
            server.on_rcpt(address)
        if address in server.refuse:
            code, text = server.refuse[address]
            return f"{code} {text}"
        with server.lock:
            if server.busy[address] > 0:
                server.busy[address] -= 1
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp_server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        message["X-Rcpt-To"] = ",".join(envelope.rcpt_tos)
        with self.server.lock:
            self.server.messages.append(message)
        if self.server.on_data is not None:
            self.server.on_data(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    server = SmtpServer(host="127.0.0.1", port=_free_port())
    controller = Controller(_Handler(server), hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def smtp_settings(settings, smtp_server):
    """Django's mail settings pointed at the local server (pytest-django sets locmem otherwise)."""
    settings.EMAIL_BACKEND = "abwab.messaging.email.SmtpBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_server.host, smtp_server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 30  # a loaded machine answers late
    settings.MESSAGING_RATES = {"email": 1000, "sms": 1000}
    settings.MESSAGING_RETRY_SECONDS = 0
    return smtp_server
