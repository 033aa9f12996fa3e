"""Citizens' local problems and expectations, and the advocacy dossiers elected members carry."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abwab.people.models import Mandate
from abwab.territory.models import BilingualName, Territory


class Category(BilingualName):
    """A kind of concern (water, roads, health...); the list is editable in the admin."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("concern category")
        verbose_name_plural = _("concern categories")
        ordering = ["code"]


class Urgency(models.TextChoices):
    LOW = "low", _("Can wait")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("Pressing")
    URGENT = "urgent", _("Urgent")


class DossierStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COUNCIL = "council", _("Carried to the council")
    PARLIAMENT = "parliament", _("Carried to parliament")
    MINISTRY = "ministry", _("Carried to a ministry")
    ANSWERED = "answered", _("Answered")


class Dossier(models.Model):
    """The concerns of one commune in one category, handed to the elected members who carry them."""

    territory = models.ForeignKey(
        Territory, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="dossiers"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=DossierStatus.choices, default=DossierStatus.OPEN
    )
    handed_to = models.ManyToManyField(
        Mandate, verbose_name=_("handed to"), blank=True, related_name="dossiers"
    )
    answer = models.TextField(_("answer obtained"), blank=True)

    class Meta:
        verbose_name = _("advocacy dossier")
        verbose_name_plural = _("advocacy dossiers")
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "category"], name="dossier_one_per_commune_category"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category} — {self.territory}"


class DossierChange(models.Model):
    """A dated step of a dossier: handed over, carried somewhere, answered."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=20, choices=DossierStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.status}"


class Concern(models.Model):
    """A citizen's problem or expectation, recorded at the door or later."""

    territory = models.ForeignKey(
        Territory, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="concerns"
    )
    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="concerns")
    description = models.TextField(_("description"))
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    wants_answer = models.BooleanField(_("wants an answer"), default=False)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    # Being contacted about the answer is a consent of its own (law 09-08).
    contact_consent_at = models.DateTimeField(_("consent to be contacted"), null=True, blank=True)
    event = models.ForeignKey(
        "campaigns.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="concerns"
    )
    office = models.ForeignKey(
        "territory.Office", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    # Unique per account: another account's key is a new concern (see abwab.api.idempotency).
    client_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recorded_by", "client_key"], name="concern_key_per_account"
            ),
            models.CheckConstraint(
                condition=Q(wants_answer=False)
                | (~Q(contact_phone="") & Q(contact_consent_at__isnull=False)),
                name="concern_answer_needs_contact_and_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category}: {self.description[:40]}"
