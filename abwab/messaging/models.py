"""Email and SMS sent on the organisation's behalf: a send (one purpose, one list, one text), one
message per recipient and channel (keyed, so a resumed send never sends twice), SMS parts with
their delivery receipts, and SMS received (a "STOP" withdraws consent)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abwab.people.models import ConsentMedium, ConsentPurpose


class SendKind(models.TextChoices):
    CONVOCATION = "convocation", _("Meeting convocation")
    REMINDER = "reminder", _("Meeting reminder")
    ANSWER = "answer", _("Answer to a concern")
    MILESTONE = "milestone", _("Dossier milestone")
    MEMO = "memo", _("Campaign memo")
    MEMO_REMINDER = "memo_reminder", _("Campaign memo reminder")
    MEMBERS = "members", _("Message to members")
    TEST = "test", _("Test send to oneself")
    ACCOUNT = "account", _("Account notice")  # password reset, password or second factor changed


class SendStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Sending")
    PAUSED = "paused", _("Paused")
    DONE = "done", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Send(models.Model):
    """One sending: what it is for (the consent it needs), to whom (the list as chosen), the
    text in Arabic and French, and its progress. The audit log records who sent it, to how many and
    which list; the bodies of personal answers stay out of the audit log."""

    kind = models.CharField(_("kind"), max_length=20, choices=SendKind.choices)
    # The consent each recipient must have given for this channel; empty only for account notices
    # (a password reset is a service the user asked for, not prospecting).
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=ConsentPurpose.choices, blank=True
    )
    by_email = models.BooleanField(_("by email"), default=False)
    by_sms = models.BooleanField(_("by SMS"), default=False)
    territory = models.ForeignKey(
        "territory.Territory",
        verbose_name=_("territory"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # What it concerns, as "app.model:pk" (a meeting, a campaign, a dossier…), for the pages
    # that show a send beside its object.
    about = models.CharField(max_length=60, blank=True, db_index=True)
    filters = models.JSONField(_("list"), default=dict, blank=True)
    subject_ar = models.CharField(_("subject (Arabic)"), max_length=200, blank=True)
    subject_fr = models.CharField(_("subject (French)"), max_length=200, blank=True)
    body_ar = models.TextField(_("text (Arabic)"), blank=True)
    body_fr = models.TextField(_("text (French)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SendStatus.choices, default=SendStatus.DRAFT
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)  # no consent (or withdrawn) at send time
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sending")
        verbose_name_plural = _("sendings")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Being handed over")
    SENT = "sent", _("Handed to the relay")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")
    REFUSED = "refused", _("Not sent: no consent")


class Message(models.Model):
    """One recipient on one channel. `key` is unique: queuing the same send again, or resuming a
    send killed half-way, finds the message already there and never sends it twice."""

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="messages")
    person = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(  # account notices go to an account, which may have no person
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    medium = models.CharField(_("channel"), max_length=10, choices=ConsentMedium.choices)
    address = models.CharField(_("address"), max_length=254)  # an email, or a phone in E.164
    language = models.CharField(max_length=5, default="ar")
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    key = models.CharField(max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    parts = models.PositiveSmallIntegerField(default=1)
    provider_ref = models.CharField(max_length=200, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["send", "status"], name="message_send_status")]

    def __str__(self) -> str:
        return self.key


class PartStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class MessagePart(models.Model):
    """One SMS part as the SMSC acknowledged it; its delivery receipt is recorded here, and the
    message's status is joined from all its parts (never from the last receipt alone)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="sms_parts")
    seq = models.PositiveSmallIntegerField()
    smsc_id = models.CharField(max_length=100, db_index=True)
    status = models.CharField(
        max_length=20, choices=PartStatus.choices, default=PartStatus.SUBMITTED
    )
    receipt_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "seq"], name="message_part_once")]

    def __str__(self) -> str:
        return f"{self.message_id}/{self.seq}"


class InboundSms(models.Model):
    """An SMS received from a person (deliver_sm or the gateway's callback): "STOP" and its Arabic
    and French forms withdraw the sender's SMS consents at once."""

    sender = models.CharField(max_length=20)  # E.164
    text = models.CharField(max_length=500)
    received_at = models.DateTimeField(default=timezone.now)
    handled_as = models.CharField(max_length=20, blank=True)  # "stop", or empty

    def __str__(self) -> str:
        return f"{self.sender}: {self.text[:20]}"
