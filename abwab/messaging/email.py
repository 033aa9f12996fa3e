"""Email: the unsubscribe token and headers (RFC 2369 / RFC 8058) and Django's SMTP backend with
the hand-over point the sending engine records.

Why a hand-over point. An SMTP relay takes responsibility for a message when it answers the final
"." of DATA; a worker killed between writing that dot and recording "sent" would, on resume, either
send the message again or lose it. `SmtpBackend` calls the message's `handed_over` callback after
the body and just before the final dot: the engine commits `sent_at` there. On resume, a message
still "sending" without `sent_at` never reached the relay (the relay drops a DATA that did not end)
and is sent again; one with `sent_at` is counted as sent. The only window left is between that
commit and writing three bytes to the socket.
"""

import hashlib
import smtplib
import socket
from collections.abc import Callable

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend as DjangoSmtpBackend
from django.urls import reverse

UNSUBSCRIBE_SALT = "abwab.messaging.unsubscribe"


def unsubscribe_token(*, person_id: int, purpose: str, medium: str) -> str:
    """A signed, dated token naming whose consent, for what purpose, on which channel."""
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign_object(
        {"p": person_id, "u": purpose, "m": medium}
    )


def unsubscribe_read(token: str) -> tuple[int, str, str]:
    """(person id, purpose, medium) from a token; `signing.BadSignature` (or its subclass
    `SignatureExpired`) when it was altered or is older than MESSAGING_UNSUBSCRIBE_DAYS."""
    data = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).unsign_object(
        token, max_age=settings.MESSAGING_UNSUBSCRIBE_DAYS * 24 * 3600
    )
    try:
        return int(data["p"]), str(data["u"]), str(data["m"])
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature("incomplete token") from error


def unsubscribe_url(token: str) -> str:
    base = settings.ABWAB_SITE_URL.rstrip("/")
    return base + reverse("messaging:unsubscribe", kwargs={"token": token})


def _domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost"


def message_id(key: str) -> str:
    """The same Message-ID for the same key: a relay or mailbox that sees it twice knows it."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()[:24]
    return f"<{digest}@{_domain()}>"


def email_build(message, *, connection=None) -> EmailMessage:
    """The email for one Message row, with the unsubscribe headers when it needs a consent."""
    headers = {"Message-ID": message_id(message.key), "Auto-Submitted": "auto-generated"}
    purpose = message.send.purpose
    if purpose and message.person_id:
        token = unsubscribe_token(person_id=message.person_id, purpose=purpose, medium="email")
        url = unsubscribe_url(token) + ("?lang=fr" if message.language == "fr" else "")
        targets = [f"<{url}>"]
        if settings.ABWAB_UNSUBSCRIBE_MAILTO:
            targets.append(f"<mailto:{settings.ABWAB_UNSUBSCRIBE_MAILTO}?subject=unsubscribe>")
        headers["List-Unsubscribe"] = ", ".join(targets)
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.address],
        headers=headers,
        connection=connection,
    )


class _HandOver:
    """smtplib's DATA, with a call between the body and the final dot (see the module's doc)."""

    handed_over: Callable[[], None] | None = None

    def connect(self, host="localhost", port=0, source_address=None):
        reply = super().connect(host, port, source_address)
        # The dot goes in its own small write after the body: without this, Nagle's algorithm
        # holds it until the relay acknowledges the body (a delayed ACK: 40 ms per email).
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return reply

    def data(self, msg):
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if isinstance(msg, str):
            msg = smtplib._fix_eols(msg).encode("ascii")
        body = smtplib._quote_periods(msg)
        if body[-2:] != smtplib.bCRLF:
            body += smtplib.bCRLF
        self.send(body)
        if self.handed_over is not None:
            try:
                self.handed_over()
            except BaseException:
                # Not recorded, so not sent: hang up before the dot, and the relay drops this
                # DATA (never go on talking on a connection that is in the middle of a message).
                self.close()
                raise
        self.send(b"." + smtplib.bCRLF)
        return self.getreply()


class _Smtp(_HandOver, smtplib.SMTP):
    pass


class _SmtpSsl(_HandOver, smtplib.SMTP_SSL):
    pass


class SmtpBackend(DjangoSmtpBackend):
    """Django's SMTP backend (same settings) whose DATA calls the email's `handed_over`."""

    @property
    def connection_class(self):
        return _SmtpSsl if self.use_ssl else _Smtp

    def _send(self, email_message):
        if self.connection is not None:
            self.connection.handed_over = getattr(email_message, "handed_over", None)
        try:
            return super()._send(email_message)
        finally:
            if self.connection is not None:
                self.connection.handed_over = None
