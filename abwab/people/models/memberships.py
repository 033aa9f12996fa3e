"""Membership, its dated status history, the consent behind it (law 09-08) and card numbers."""

import functools

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from abwab.people.models.persons import Person
from abwab.territory.models import Office, Territory


class MembershipStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class ConsentPurpose(models.TextChoices):
    MEMBERSHIP = "membership", _("Party membership (political affiliation)")
    # Answers to one's own concern and its dossier's milestones.
    CONTACT = "contact", _("Being contacted about a concern")
    NEWS = "news", _("Party news")
    CONVOCATIONS = "convocations", _("Meeting convocations")


class ConsentMedium(models.TextChoices):
    """How a person agreed to be reached (law 09-08 art. 10: per channel, before any message)."""

    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class ConsentChannel(models.TextChoices):
    DOOR = "door", _("At an office's door desk")
    PAPER = "paper", _("Signed paper form")
    ONLINE = "online", _("Online form")
    IMPORT = "import", _("Imported from an earlier register")


class Consent(models.Model):
    """An explicit consent (law 09-08): what was shown, when, how, and who collected it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    # Empty for the membership consent; the channel a communication consent covers otherwise.
    medium = models.CharField(
        _("by"), max_length=10, choices=ConsentMedium.choices, blank=True, default=""
    )
    text_version = models.CharField(_("version of the text shown"), max_length=20)
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=20, choices=ConsentChannel.choices)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("collected by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawal recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # How the withdrawal came: the unsubscribe link, an SMS "STOP", the desk, the person's record…
    withdrawn_via = models.CharField(_("withdrawn through"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.text_version}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class CardSequence(models.Model):
    """The last card number issued for a region and year; incremented inside the sign-up transaction."""

    region = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="card_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id}-{self.year}: {self.last}"


class Membership(models.Model):
    """A person's party membership: status with dated history, office, card number and consent."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(_("status"), max_length=20, choices=MembershipStatus.choices)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="memberships"
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    card_number = models.CharField(_("card number"), max_length=20, unique=True)
    consent = models.ForeignKey(
        Consent, verbose_name=_("consent"), on_delete=models.PROTECT, related_name="+"
    )
    recruited_by = models.ForeignKey(
        Person,
        verbose_name=_("recruited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recruits",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["status", "joined_on"], name="membership_status_joined")]
        constraints = [
            # A person holds at most one membership that has not ended (merges end the duplicate's).
            models.UniqueConstraint(
                fields=["person"],
                condition=~Q(status="ended"),
                name="membership_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return self.card_number


# Reasons the services write themselves. They were stored in the language of the request that
# wrote them ("الانضمام" for "Joined"), so a French page showed Arabic: they are read back to their
# message and shown in the reader's language (see `MembershipChange.reason_display`).
SYSTEM_REASONS = (
    gettext_noop("Joined"),
    gettext_noop("Merge undone"),
    gettext_noop("Consent withdrawn"),
)


@functools.cache
def _system_reasons() -> dict[str, str]:
    """Every written form of a system reason (message, Arabic, French) -> its message."""
    forms = {}
    for message in SYSTEM_REASONS:
        forms[message] = message
        for language in ("ar", "fr"):
            with translation.override(language):
                forms[translation.gettext(message)] = message
    return forms


def reason_display(reason: str) -> str:
    """A history reason in the active language if the system wrote it, else as the user typed it."""
    message = _system_reasons().get(reason)
    return translation.gettext(message) if message else reason


class MembershipChange(models.Model):
    """One dated step in a membership's status history."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(
        _("from"), max_length=20, choices=MembershipStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=MembershipStatus.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @property
    def reason_display(self) -> str:
        return reason_display(self.reason)
