"""Reads for the sending pages: a send's recipients with what became of each, within scope."""

from django.db.models import QuerySet

from abwab.core.scope import visible_to
from abwab.messaging.models import Message, MessageStatus, Send

SHOWN_FIRST = [MessageStatus.FAILED, MessageStatus.BOUNCED, MessageStatus.REFUSED]


def send_messages(*, actor, send: Send, status: str = "") -> QuerySet[Message]:
    """The send's messages the actor may see (the send's own scope), failures first when asked
    by status; the recipient's name comes with each row."""
    messages = visible_to(actor, Message.objects.filter(send=send)).select_related("person")
    if status in MessageStatus.values:
        messages = messages.filter(status=status)
    return messages.order_by("pk")


def reason_label(last_error: str) -> str:
    """What `Message.last_error` means, in the reader's language (the relay's words kept after)."""
    from django.utils.translation import gettext as _

    from abwab.messaging.engine import NO_ADDRESS, NO_CONSENT
    from abwab.messaging.errors import SendError

    if not last_error:
        return ""
    code, _space, detail = last_error.partition(" ")
    if code == NO_CONSENT:
        return _("No consent in force for this purpose on this channel.")
    if code == NO_ADDRESS:
        return _("No address on record for this channel.")
    if code in SendError._value2member_map_:
        text = str(SendError(code).message)
        return f"{text} ({detail})" if detail else text
    return last_error
