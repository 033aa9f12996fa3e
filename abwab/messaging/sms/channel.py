"""The SMS channel the sending engine calls: `send(message)` hands one message over as its parts,
`poll()` records what came back (receipts, replies), `close()` ends the session.

One channel per worker (`sms_channel()` keeps one per thread): the SMPP session is bound once,
reused for every message, and bound again if it drops.

Resuming is safe part by part: each part gets its `MessagePart` row (with the SMSC's id) as soon as
the SMSC acknowledged it, and a message sent again after a failure half-way (throttled on part 2)
only submits the parts that have no row yet, with the same concatenation reference, so the phone
still joins them. Do not call `send` inside a transaction that a failure rolls back: the rows of
the parts already handed over must stay.
"""

import threading
import time

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from abwab.messaging.errors import PermanentFailure, SendError, TemporaryFailure
from abwab.messaging.models import Message, MessagePart, MessageStatus
from abwab.messaging.sms.encoding import estimate
from abwab.messaging.sms.receipts import inbound_record, receipt_record
from abwab.messaging.sms.transport import Inbound, Receipt, out_parts, transport_for
from abwab.people.models import ConsentMedium


def e164(address: str) -> str:
    """The number in E.164 (Morocco the default country), or PermanentFailure."""
    try:
        number = phonenumbers.parse(address, "MA")
    except phonenumbers.NumberParseException as error:
        raise PermanentFailure(SendError.BAD_ADDRESS, detail="unreadable number") from error
    if not phonenumbers.is_valid_number(number):
        raise PermanentFailure(SendError.BAD_ADDRESS, detail="invalid number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def callback_url() -> str:
    secret = getattr(settings, "ABWAB_SMS_CALLBACK_SECRET", "")
    if not secret:
        return ""
    path = reverse("messaging:sms_callback", kwargs={"secret": secret})
    return settings.ABWAB_SITE_URL.rstrip("/") + path


class SmsChannel:
    medium = ConsentMedium.SMS

    def __init__(self, url: str | None = None, *, transport=None):
        if transport is None:
            url = url if url is not None else getattr(settings, "ABWAB_SMS_URL", "")
            if not url:
                url = f"file://{settings.VAR_DIR / 'sms'}"
            transport = transport_for(url, callback_url=callback_url())
        self.transport = transport

    def open(self) -> None:
        """Connect (bind) now rather than at the first message."""
        self.transport.open()

    def send(self, message: Message) -> list[str]:
        """Submit every part of the message not yet handed over; returns the SMSC's ids of all its
        parts, in order. Raises TemporaryFailure (try later) or PermanentFailure (record it failed).
        """
        self.poll()
        destination = e164(message.address)
        found = estimate(message.body)
        if found.parts > getattr(settings, "ABWAB_SMS_MAX_PARTS", 10):
            raise PermanentFailure(SendError.TOO_LONG, detail=f"{found.parts} parts")
        parts = out_parts(message.body, encoding=found.encoding, reference=message.pk & 0xFF)
        # Known before the first part leaves, so an early receipt cannot pass for the whole.
        if message.parts != len(parts):
            Message.objects.filter(pk=message.pk).update(parts=len(parts))
            message.parts = len(parts)
        done = dict(message.sms_parts.values_list("seq", "smsc_id"))
        for part in parts:
            if part.seq in done:
                continue
            smsc_id = self.transport.submit(destination, part)
            with transaction.atomic():
                MessagePart.objects.create(message=message, seq=part.seq, smsc_id=smsc_id)
            done[part.seq] = smsc_id
        refs = [done[seq] for seq in sorted(done)]
        message.provider_ref = ",".join(refs)[:200]
        message.sent_at = message.sent_at or timezone.now()
        Message.objects.filter(pk=message.pk).update(provider_ref=message.provider_ref)
        Message.objects.filter(
            pk=message.pk, status__in=[MessageStatus.QUEUED, MessageStatus.SENDING]
        ).update(status=MessageStatus.SENT, sent_at=message.sent_at)
        return refs

    def poll(self, timeout: float = 0.0) -> int:
        """Record the receipts and replies the SMSC sent (waiting up to `timeout` seconds for
        the first); returns how many were handled."""
        self.transport.drain(timeout)
        events = self.transport.take_events()
        for event in events:
            if isinstance(event, Receipt):
                receipt_record(smsc_id=event.smsc_id, stat=event.stat, err=event.err, at=event.at)
            elif isinstance(event, Inbound):
                inbound_record(sender=event.sender, text=event.text)
        return len(events)

    def close(self) -> None:
        """Record what is left to read (the last parts' receipts may be on their way), then
        unbind; receipts still to come wait at the SMSC for the next session."""
        self.poll(timeout=0.2)
        self.transport.close()
        self.poll()


def sms_listen(channel: SmsChannel, *, seconds: float | None = None, stop=None) -> int:
    """Stay bound and record receipts and replies as they come (a STOP is honoured within a
    second even when nothing is being sent); until `seconds` have passed or `stop()` is true.
    A dropped link is bound again at the next turn. Returns how many events were handled."""
    handled, started = 0, time.monotonic()
    while not (stop and stop()) and (seconds is None or time.monotonic() - started < seconds):
        try:
            channel.open()
        except TemporaryFailure:
            time.sleep(1.0)  # the SMSC is away: try again
            continue
        handled += channel.poll(timeout=0.5)
    channel.close()
    return handled


_local = threading.local()


def sms_channel() -> SmsChannel:
    """This thread's channel (one SMPP session per worker), made on first use."""
    channel = getattr(_local, "channel", None)
    if channel is None:
        channel = _local.channel = SmsChannel()
    return channel
