"""The open-doors campaign: memo and targets split down the territory, office events, readiness,
and what happens at the door (check-ins)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abwab.people.models import Person
from abwab.territory.models import BilingualName, Body, Office, PartyUnit, Territory
from abwab.territory.tallies import ROLLUP_HELP


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
    # The memo as the national secretariat signed it (a checked upload), beside its text.
    memo_file = models.FileField(_("memo (document)"), upload_to="campaigns/memos/", blank=True)
    goals_ar = models.TextField(_("goals (Arabic)"), blank=True)
    goals_fr = models.TextField(_("goals (French)"), blank=True)
    # An item still missing this many days before its event is late, and flagged one level up.
    lead_days = models.PositiveSmallIntegerField(_("readiness lead (days)"), default=3)
    launched_at = models.DateTimeField(_("launched at"), null=True, blank=True)
    # What citizens read on the public open-doors pages: what the party will present.
    public_intro_ar = models.TextField(_("public presentation (Arabic)"), blank=True)
    public_intro_fr = models.TextField(_("public presentation (French)"), blank=True)

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
    # A party unit such as Fès North has its own row (its territory is the unit's anchor).
    party_unit = models.ForeignKey(
        PartyUnit,
        verbose_name=_("party unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    new_members = models.PositiveIntegerField(_("new members"))
    women = models.PositiveIntegerField(_("women"), default=0)
    youth = models.PositiveIntegerField(_("youth (under 35)"), default=0)
    professionals = models.PositiveIntegerField(_("professionals and skilled cadres"), default=0)
    visitors = models.PositiveIntegerField(_("visitors"), default=0)
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
                fields=["campaign", "territory"],
                condition=Q(party_unit__isnull=True),
                name="target_one_per_territory",
            ),
            models.UniqueConstraint(
                fields=["campaign", "party_unit"],
                condition=Q(party_unit__isnull=False),
                name="target_one_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(women_percent__lte=100, under35_percent__lte=100),
                name="target_percents",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.place} — {self.new_members}"

    @property
    def place(self):
        """What the row stands for: the party unit if any, else the territory."""
        return self.party_unit if self.party_unit_id else self.territory


class CampaignAcknowledgement(models.Model):
    """A secretariat (a node or a party unit) has read the launched campaign's memo."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="acks")
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    party_unit = models.ForeignKey(
        PartyUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["territory__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "territory"],
                condition=Q(party_unit__isnull=True),
                name="ack_one_per_territory",
            ),
            models.UniqueConstraint(
                fields=["campaign", "party_unit"],
                condition=Q(party_unit__isnull=False),
                name="ack_one_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party_unit or self.territory} — {self.campaign}"


class LocalGoal(models.Model):
    """A region's or province's own goal and dates inside a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="local_goals")
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    party_unit = models.ForeignKey(
        PartyUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text_ar = models.TextField(_("goal (Arabic)"))
    text_fr = models.TextField(_("goal (French)"), blank=True)
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("local goal")
        verbose_name_plural = _("local goals")
        ordering = ["territory__path", "at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="local_goal_dates",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        from django.utils.translation import get_language

        return self.text_fr if get_language() == "fr" and self.text_fr else self.text_ar


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
    supervisor = models.ForeignKey(
        Person,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Internal events (a body's own open day) stay off the public lists.
    public = models.BooleanField(_("shown on the public site"), default=True)
    # The address is given only to those who pre-register (e.g. an office that asks for it).
    address_on_request = models.BooleanField(
        _("address given only after pre-registration"), default=False
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
    OTHER = "other", _("Other (named)")


class Supplier(models.TextChoices):
    NATIONAL = "national", _("National secretariat")
    REGIONAL = "regional", _("Regional secretariat")
    PROVINCIAL = "provincial", _("Provincial secretariat")
    LOCAL = "local", _("Local secretariat")


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
    # A local addition (kind "other") is named here.
    label = models.CharField(_("name of the item"), max_length=120, blank=True)
    needed = models.PositiveIntegerField(_("needed"))
    allocated = models.PositiveIntegerField(_("allocated"), default=0)
    delivered = models.PositiveIntegerField(_("delivered"), default=0)
    supplier = models.CharField(
        _("supplied by"), max_length=20, choices=Supplier.choices, blank=True
    )

    class Meta:
        verbose_name = _("readiness item")
        verbose_name_plural = _("readiness items")
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind", "label"], name="readiness_one_per_kind"
            ),
            models.CheckConstraint(
                condition=Q(delivered__lte=models.F("allocated")),
                name="readiness_delivered_le_allocated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.delivered}/{self.needed}"

    @property
    def name(self) -> str:
        return self.label or str(self.get_kind_display())


class CampaignItem(models.Model):
    """An item of the memo's readiness list: what every event of the campaign needs."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("item"), max_length=30, choices=ItemKind.choices)
    label = models.CharField(_("name of the item"), max_length=120, blank=True)
    needed = models.PositiveIntegerField(_("needed per event"))
    supplier = models.CharField(
        _("supplied by"), max_length=20, choices=Supplier.choices, blank=True
    )

    class Meta:
        verbose_name = _("campaign readiness item")
        verbose_name_plural = _("campaign readiness items")
        ordering = ["kind", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "kind", "label"], name="campaign_item_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.label or str(self.get_kind_display())


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


class VisitTally(models.Model):
    """Door check-ins of visitors from one territory node on one day (the local date of the visit),
    kept by `abwab.campaigns.tallies` as check-ins are recorded. The table keeps its first name
    (reports_visittally): it moved here from the reports app without moving any data."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    rollup = models.BooleanField(default=False, help_text=ROLLUP_HELP)
    day = models.DateField()
    visitors = models.IntegerField(default=0)

    class Meta:
        db_table = "reports_visittally"
        verbose_name = _("visitor count")
        verbose_name_plural = _("visitor counts")
        constraints = [
            models.UniqueConstraint(
                fields=["rollup", "territory", "day"], name="visit_tally_unique"
            )
        ]
        indexes = [models.Index(fields=["rollup", "day"], name="visit_tally_day")]

    def __str__(self) -> str:
        return f"{self.territory_id} {self.day}: {self.visitors}"


class DocumentKind(models.TextChoices):
    PROGRAMME = "programme", _("Party programme")
    GOVERNMENT_RECORD = "government_record", _("Government record")
    PARLIAMENTARY_RECORD = "parliamentary_record", _("Parliamentary record")
    COUNCIL_RECORD = "council_record", _("Record in the councils")


class CampaignDocument(models.Model):
    """A document citizens can read or download from the public pages (the programme, the
    government and parliamentary record), kept with the campaign that presents it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=30, choices=DocumentKind.choices)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    summary_ar = models.TextField(_("summary (Arabic)"), blank=True)
    summary_fr = models.TextField(_("summary (French)"), blank=True)
    file = models.FileField(_("document"), upload_to="campaigns/documents/")
    public = models.BooleanField(_("shown on the public site"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("campaign document")
        verbose_name_plural = _("campaign documents")
        ordering = ["kind", "-added_at"]

    def __str__(self) -> str:
        return self.title_fr or self.title_ar


class PreRegistrationStatus(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    ARRIVED = "arrived", _("Arrived")
    CANCELLED = "cancelled", _("Cancelled")


class PreRegistration(models.Model):
    """A citizen who announced a visit on the public pages. Nothing here is a member: the desk
    completes the visit (one check-in, never two) and a volunteer checks any sign-up."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="preregistrations")
    territory = models.ForeignKey(
        Territory, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=20)  # E.164
    purpose = models.CharField(_("comes for"), max_length=20, choices=Purpose.choices)
    wants_to_join = models.BooleanField(_("asks to join"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    expected_on = models.DateField(_("expected on"), null=True, blank=True)
    # Law 09-08: when, and which text the citizen accepted.
    consent_at = models.DateTimeField(_("consent given at"))
    consent_version = models.CharField(_("consent text version"), max_length=20)
    # The receipt's number, printed and in its QR code; what the desk scans or types.
    code = models.CharField(_("receipt number"), max_length=16, unique=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PreRegistrationStatus.choices,
        default=PreRegistrationStatus.EXPECTED,
    )
    checkin = models.OneToOneField(
        CheckIn, null=True, blank=True, on_delete=models.SET_NULL, related_name="preregistration"
    )
    created_at = models.DateTimeField(default=timezone.now)
    arrived_at = models.DateTimeField(null=True, blank=True)
    arrived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("pre-registration")
        verbose_name_plural = _("pre-registrations")
        ordering = ["expected_on", "created_at"]
        indexes = [models.Index(fields=["event", "status"], name="prereg_event_status")]

    def __str__(self) -> str:
        return f"{self.code} @ {self.event_id}"


class MemoReading(models.Model):
    """The campaign memo sent to one office holder of a secretariat below, and when they opened
    its read link and said they had read it (who has read the memo, for the level above)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="readings")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("office holder"), on_delete=models.CASCADE, related_name="+"
    )
    # The secretariat the person holds a function in, when the memo went.
    body = models.ForeignKey(
        "territory.Body", verbose_name=_("secretariat"), on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("memo reading")
        verbose_name_plural = _("memo readings")
        ordering = ["body__territory__path", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "person"], name="memo_read_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.person_id}"
