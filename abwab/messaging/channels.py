"""The channels a message goes out through, behind one small interface the engine uses:

    channel.open(); refs = channel.send(message); channel.close()

`send` hands one Message row over and returns the relay's references (a Message-ID, the SMSC's
ids of the parts), or raises `TemporaryFailure` (try again later) / `PermanentFailure` (never) from
abwab.messaging.errors. A channel may call `on_handover()` at its point of no return (email: just
before the final dot of DATA; see abwab/messaging/email.py) so the engine can record it first.
"""

import smtplib

from django.core.mail import get_connection

from abwab.messaging.email import email_build, message_id
from abwab.messaging.errors import PermanentFailure, SendError, TemporaryFailure
from abwab.people.models import ConsentMedium


class EmailChannel:
    """Email through the Django mail backend of the settings (ABWAB_EMAIL_URL), one connection
    kept open for a batch."""

    medium = ConsentMedium.EMAIL

    def __init__(self):
        self.connection = None
        self.on_handover = None

    def open(self) -> None:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
            try:
                self.connection.open()
            except (OSError, smtplib.SMTPException) as error:
                self.connection = None
                raise TemporaryFailure(SendError.UNREACHABLE, detail=str(error)[:200]) from error

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except (OSError, smtplib.SMTPException):
                pass  # a relay that already went away
            self.connection = None

    def send(self, message) -> list[str]:
        self.open()
        email = email_build(message, connection=self.connection)
        handed = False

        def handed_over():
            nonlocal handed
            handed = True
            if self.on_handover is not None:
                self.on_handover()

        email.handed_over = handed_over
        try:
            email.send()
        except smtplib.SMTPRecipientsRefused as error:
            code = next(iter(error.recipients.values()), (0, b""))[0]
            raise self._failure(code, SendError.BAD_ADDRESS, error) from error
        except smtplib.SMTPResponseException as error:
            # A reply to DATA's final dot is the relay's answer: it refused, nothing was sent.
            raise self._failure(error.smtp_code, SendError.REFUSED_BY_RELAY, error) from error
        except (smtplib.SMTPException, OSError) as error:
            self.close()
            if handed:  # the dot went out, the reply did not come back: count it as sent
                return [message_id(message.key)]
            raise TemporaryFailure(SendError.UNREACHABLE, detail=str(error)[:200]) from error
        except BaseException:
            self.close()  # e.g. the hand-over could not be recorded: the next email starts afresh
            raise
        if not handed and self.on_handover is not None:
            self.on_handover()  # backends without a DATA phase (file, console, memory)
        return [message_id(message.key)]

    @staticmethod
    def _failure(code: int, permanent: SendError, error: Exception):
        detail = f"{code} {error}"[:200]
        if 400 <= code < 500:
            return TemporaryFailure(SendError.RELAY_BUSY, detail=detail)
        return PermanentFailure(permanent, detail=detail)


def channel_for(medium: str):
    """A fresh channel object for `medium` (one per worker run: it holds a connection)."""
    if medium == ConsentMedium.EMAIL:
        return EmailChannel()
    if medium == ConsentMedium.SMS:
        from abwab.messaging.sms.channel import SmsChannel

        return SmsChannel()
    raise ValueError(f"no channel for {medium!r}")
