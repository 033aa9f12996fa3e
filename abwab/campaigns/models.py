"""The open-doors campaign: memo and targets split down the territory, office events, readiness,
and what happens at the door (check-ins)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abwab.people.models import Person
from abwab.territory.models import BilingualName, Body, Office, Territory


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    LAUNCHED = "launched", _("Launched")
    CLOSED = "closed", _("Closed")


class Campaign(BilingualName):
    """A national programme (e.g. "open doors — first edition") with its memo and dates."""

    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    memo_ar = models.TextField(_("memo (Arabic)"))
    memo_fr = models.TextField(_("memo (French)"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    # The level that runs it: the nation for a national campaign.
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_dates"
            )
        ]


class Target(models.Model):
    """A territory's numbers in a campaign; a level splits what it received over its children."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    new_members = models.PositiveIntegerField(_("new members"))
    professionals = models.PositiveIntegerField(_("professionals and skilled cadres"), default=0)
    women_percent = models.PositiveSmallIntegerField(_("share of women (%)"), default=0)
    under35_percent = models.PositiveSmallIntegerField(_("share of under-35s (%)"), default=0)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["territory__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "territory"], name="target_one_per_territory"
            ),
            models.CheckConstraint(
                condition=Q(women_percent__lte=100, under35_percent__lte=100),
                name="target_percents",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.territory} — {self.new_members}"


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    READY = "ready", _("Ready")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    REPORTED = "reported", _("Reported")


class Event(models.Model):
    """One office's open days in a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="events")
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="events"
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    opens_at = models.TimeField(_("opening time"))
    closes_at = models.TimeField(_("closing time"))
    supervising_body = models.ForeignKey(
        Body,
        verbose_name=_("supervising body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    responsible = models.ManyToManyField(
        Person, verbose_name=_("responsible people"), blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED
    )

    class Meta:
        verbose_name = _("open-doors event")
        verbose_name_plural = _("open-doors events")
        ordering = ["starts_on", "office__territory__path"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "office"], name="event_one_per_office"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="event_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} — {self.campaign}"


class EventTransition(models.Model):
    """Who moved an event to which status, and when."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=EventStatus.choices)
    to_status = models.CharField(max_length=20, choices=EventStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Shift(models.Model):
    """A volunteer's turn at the door of an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="shifts")
    volunteer = models.ForeignKey(
        Person, verbose_name=_("volunteer"), on_delete=models.PROTECT, related_name="+"
    )
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("to"))

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["day", "starts_at"]

    def __str__(self) -> str:
        return f"{self.day} {self.starts_at}-{self.ends_at}"


class ItemKind(models.TextChoices):
    PROGRAMME = "programme", _("Party programme")
    GOVERNMENT_RECORD = "government_record", _("Government record")
    PARLIAMENTARY_RECORD = "parliamentary_record", _("Parliamentary record")
    COUNCIL_RECORD = "council_record", _("Record in the councils")
    MEMBERSHIP_FORMS = "membership_forms", _("Membership forms")
    BANNERS = "banners", _("Banners")
    TABLES = "tables", _("Tables")
    CHAIRS = "chairs", _("Chairs")
    SCREEN = "screen", _("Screen")
    TABLETS = "tablets", _("Tablets")
    INTERNET = "internet", _("Internet connection")


LITERATURE = frozenset(
    {
        ItemKind.PROGRAMME,
        ItemKind.GOVERNMENT_RECORD,
        ItemKind.PARLIAMENTARY_RECORD,
        ItemKind.COUNCIL_RECORD,
        ItemKind.MEMBERSHIP_FORMS,
    }
)


class ReadinessItem(models.Model):
    """Literature or logistics an event needs, with what was allocated and delivered."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("item"), max_length=30, choices=ItemKind.choices)
    needed = models.PositiveIntegerField(_("needed"))
    allocated = models.PositiveIntegerField(_("allocated"), default=0)
    delivered = models.PositiveIntegerField(_("delivered"), default=0)

    class Meta:
        verbose_name = _("readiness item")
        verbose_name_plural = _("readiness items")
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="readiness_one_per_kind"),
            models.CheckConstraint(
                condition=Q(delivered__lte=models.F("allocated")),
                name="readiness_delivered_le_allocated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.delivered}/{self.needed}"


class Purpose(models.TextChoices):
    INFORMATION = "information", _("Information")
    MEMBERSHIP = "membership", _("Membership")
    CONCERN = "concern", _("A concern")


class AgeBand(models.TextChoices):
    UNDER_25 = "18-24", "18–24"
    UNDER_35 = "25-34", "25–34"
    UNDER_45 = "35-44", "35–44"
    UNDER_60 = "45-59", "45–59"
    OLDER = "60+", "60+"


class CheckIn(models.Model):
    """A visitor welcomed at the door. `client_key` is minted by the desk so a retry saves once."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="checkins")
    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    territory = models.ForeignKey(
        Territory, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, blank=True)
    gender = models.CharField(
        _("gender"), max_length=1, choices=[("F", _("Woman")), ("M", _("Man"))], blank=True
    )
    purpose = models.CharField(_("came for"), max_length=20, choices=Purpose.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="checkins"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Minted by the desk; unique per account, so another account's key is a new entry (see
    # abwab.api.idempotency).
    client_key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at"]
        indexes = [models.Index(fields=["event", "at"], name="checkin_event_at")]
        constraints = [
            models.UniqueConstraint(fields=["by", "client_key"], name="checkin_key_per_account")
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.event_id}"
