"""What the public pages keep of their own: what citizens sent (held for a moderator when it looks
automated), and the counters and spent challenges the abuse rules need. The records citizens'
submissions become (a pre-registration, a concern) belong to the campaigns and listening apps."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SubmissionKind(models.TextChoices):
    PREREGISTRATION = "preregistration", _("Pre-registration")
    CONCERN = "concern", _("Concern")


class SubmissionStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    HELD = "held", _("Held for a moderator")
    REJECTED = "rejected", _("Rejected")


class PublicSubmission(models.Model):
    """One form sent from the public pages. The receipt number is what the citizen keeps; while a
    submission is held, its payload waits here, and is cleared once a moderator decides (the record
    it became keeps the data, nothing else does)."""

    kind = models.CharField(_("kind"), max_length=20, choices=SubmissionKind.choices)
    receipt = models.CharField(_("receipt number"), max_length=16, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.HELD
    )
    reason = models.CharField(_("why it was held"), max_length=40, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    territory = models.ForeignKey(
        "territory.Territory", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    # Keyed hashes (HMAC with the secret key), never the address or the number themselves.
    client_hash = models.CharField(max_length=64, blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    preregistration = models.OneToOneField(
        "campaigns.PreRegistration",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submission",
    )
    concern = models.OneToOneField(
        "listening.Concern",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="submission",
    )

    class Meta:
        verbose_name = _("public submission")
        verbose_name_plural = _("public submissions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "territory"], name="submission_queue")]

    def __str__(self) -> str:
        return self.receipt


class RateCounter(models.Model):
    """Hits of one key (a hashed address or phone, with the rule's name) in one time window,
    shared by every worker through the database."""

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_one_row_per_window")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start:%Y-%m-%d %H:%M}: {self.hits}"


class SpentChallenge(models.Model):
    """A proof-of-work challenge already used: each one opens one submission."""

    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.digest
