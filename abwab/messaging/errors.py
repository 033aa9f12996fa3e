"""How a channel says a message was not handed over: try again later, or never.

A channel (email, SMS) raises `TemporaryFailure` when the relay is busy, throttling or out of
reach: the engine keeps the message queued and retries it with back-off (`retry_after` is the
relay's own hint, in seconds, when it gave one). It raises `PermanentFailure` when retrying cannot
help (an invalid number, a refused destination): the engine records the message as failed. Both
carry a `code` (a `SendError` member, stored in `Message.last_error` and shown per recipient) and a
translated `message`.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class SendError(StrEnum):
    # Temporary: the message stays queued and is tried again later.
    THROTTLED = "throttled"
    UNREACHABLE = "unreachable"
    RELAY_BUSY = "relay_busy"
    RELAY_ERROR = "relay_error"
    # Permanent: the message is recorded as failed for this recipient.
    BAD_ADDRESS = "bad_address"
    REFUSED_BY_RELAY = "refused_by_relay"
    TOO_LONG = "too_long"
    NOT_CONFIGURED = "not_configured"

    @property
    def message(self):
        return _MESSAGES[self]


_MESSAGES = {
    SendError.THROTTLED: _("The relay asked us to slow down; the message will be sent later."),
    SendError.UNREACHABLE: _("The relay could not be reached; the message will be sent later."),
    SendError.RELAY_BUSY: _("The relay is busy; the message will be sent later."),
    SendError.RELAY_ERROR: _("The relay answered with an error; the message will be sent later."),
    SendError.BAD_ADDRESS: _("The address or phone number is not valid."),
    SendError.REFUSED_BY_RELAY: _("The relay refused the message."),
    SendError.TOO_LONG: _("The message is too long to be sent."),
    SendError.NOT_CONFIGURED: _("This channel is not configured."),
}


class ChannelFailure(Exception):
    """A message was not handed over; `code` says why, `message` says it to a person."""

    def __init__(self, code: SendError, message=None, *, detail: str = ""):
        self.code = SendError(code)
        self.message = message if message is not None else self.code.message
        # What the relay said (a status code, an SMPP error name), for the logs and last_error.
        self.detail = detail
        super().__init__(f"{self.code}: {detail}" if detail else str(self.code))

    @property
    def last_error(self) -> str:
        """The value to store in `Message.last_error` (fits its 300 characters)."""
        return (f"{self.code} {self.detail}" if self.detail else str(self.code))[:300]


class TemporaryFailure(ChannelFailure):
    """Try again later (throttled, relay busy or unreachable)."""

    def __init__(self, code: SendError, message=None, *, detail: str = "", retry_after=None):
        super().__init__(code, message, detail=detail)
        self.retry_after = retry_after  # seconds, when the relay said how long to wait


class PermanentFailure(ChannelFailure):
    """Retrying cannot help (invalid number, refused destination): record the message as failed."""
