"""What comes back from the SMS network: delivery receipts, recorded on their part and joined into
the message's one status, and people's replies, where a "STOP" withdraws their SMS consents.

The join is the point: a message split in three parts is delivered only when all three are; one
failed part makes it failed; and a receipt only ever changes its own part, so the last receipt to
arrive never overwrites what the others said (the common gateway bug).
"""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from abwab.messaging.models import (
    InboundSms,
    Message,
    MessagePart,
    MessageStatus,
    PartStatus,
)
from abwab.people.models import ConsentMedium

# Receipt "stat:" values that end a part's life; ACCEPTD, ENROUTE, UNKNOWN change nothing.
FINAL_STATS = {
    "DELIVRD": PartStatus.DELIVERED,
    "DELIVERED": PartStatus.DELIVERED,
    "UNDELIV": PartStatus.FAILED,
    "UNDELIVERABLE": PartStatus.FAILED,
    "UNDELIVERED": PartStatus.FAILED,
    "REJECTD": PartStatus.FAILED,
    "REJECTED": PartStatus.FAILED,
    "EXPIRED": PartStatus.FAILED,
    "DELETED": PartStatus.FAILED,
    "FAILED": PartStatus.FAILED,
}
# Statuses a receipt may move a message out of (never back from delivered or failed).
OPEN_STATUSES = (MessageStatus.SENDING, MessageStatus.SENT)

STOP_WORDS = {
    "stop",
    "stopall",
    "unsubscribe",
    "arret",
    "arreter",
    "desabonner",
    "desinscrire",
    "توقف",
    "وقف",
    "قف",
    "الغاء",
    "الغ",
    "ستوب",
}
_ARABIC_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alif, tatweel
_ALEFS = str.maketrans("أإآٱ", "اااا")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = _ARABIC_MARKS.sub("", text).translate(_ALEFS)
    # Latin accents off (ARRÊT, arrêter), Arabic letters kept.
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_stop(text: str) -> bool:
    """Whether a reply asks to stop: its first word is STOP or one of its French/Arabic forms,
    whatever the case, accents, vowel marks or punctuation."""
    words = re.findall(r"\w+", _normalise(text))
    return bool(words) and words[0] in STOP_WORDS


def _part_status(stat: str) -> str | None:
    return FINAL_STATS.get(stat.strip().upper())


@transaction.atomic
def receipt_record(*, smsc_id: str, stat: str, err: str = "", at=None) -> Message | None:
    """Record a delivery receipt on its part and join the message's status from all its parts;
    returns the message, or None when no part has that id."""
    status = _part_status(stat)
    part = MessagePart.objects.filter(smsc_id=smsc_id).order_by("-pk").first()
    if part is None:
        return None
    # One receipt at a time per message, so two parts' receipts cannot each see the other unset.
    message = Message.objects.select_for_update().get(pk=part.message_id)
    if status is None:
        return message
    at = at or timezone.now()
    if at.tzinfo is None:
        at = at.replace(tzinfo=datetime.UTC)
    # A part's first final receipt stands: a repeated or late one changes nothing.
    MessagePart.objects.filter(pk=part.pk, status=PartStatus.SUBMITTED).update(
        status=status,
        receipt_at=at,
        error="" if status == PartStatus.DELIVERED else f"{stat.upper()}:{err}"[:40],
    )
    message_join(message)
    return message


def message_join(message: Message) -> None:
    """Set the message's status from all its parts' receipts (the caller holds its row lock)."""
    parts = list(message.sms_parts.values_list("status", "error"))
    failed = [error for status, error in parts if status == PartStatus.FAILED]
    delivered = sum(1 for status, _error in parts if status == PartStatus.DELIVERED)
    fields = {}
    if failed:
        fields = {"status": MessageStatus.FAILED, "last_error": f"sms {failed[0]}"[:300]}
    elif parts and delivered == len(parts) >= message.parts:
        last = message.sms_parts.aggregate(last=Max("receipt_at"))["last"]
        fields = {"status": MessageStatus.DELIVERED, "delivered_at": last}
    if fields and message.status in OPEN_STATUSES + (MessageStatus.QUEUED,):
        Message.objects.filter(pk=message.pk).update(**fields)
        for name, value in fields.items():
            setattr(message, name, value)


@transaction.atomic
def inbound_record(*, sender: str, text: str) -> InboundSms:
    """Keep a person's SMS; a STOP withdraws at once every SMS consent of the persons at that
    number."""
    from abwab.people.services import consent_withdraw_by_phone
    from abwab.people.validation import clean_phone

    # SMPP gives international numbers without their "+"; a national one starts with 0.
    digits = sender.strip()
    try:
        phone = clean_phone(digits if digits[:1] in ("+", "0") else f"+{digits}")
    except ValidationError:  # an unreadable sender (a short code, a name) is kept as it came
        phone = digits
    stop = is_stop(text)
    inbound = InboundSms.objects.create(
        sender=phone[:20], text=text[:500], handled_as="stop" if stop else ""
    )
    if stop and phone.startswith("+"):
        consent_withdraw_by_phone(phone=phone, medium=ConsentMedium.SMS, via="sms_stop")
    return inbound
