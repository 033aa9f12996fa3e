"""Persons, their memberships and consents (law 09-08), and the positions and mandates they hold."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from abwab.territory.models import Body, Office, Territory


class Gender(models.TextChoices):
    FEMALE = "F", _("Woman")
    MALE = "M", _("Man")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")
    BACCALAUREATE = "bac", _("Baccalaureate")
    UNIVERSITY = "university", _("University degree")
    POSTGRADUATE = "postgraduate", _("Master's or doctorate")
    VOCATIONAL = "vocational", _("Vocational training")


class Skill(models.Model):
    """A competency the party wants to attract (engineer, doctor, lawyer, teacher...)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=100)
    name_fr = models.CharField(_("French name"), max_length=100)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["code"]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_fr if get_language() == "fr" else self.name_ar


class PersonQuerySet(models.QuerySet):
    def live(self) -> "PersonQuerySet":
        """Persons shown in lists and lookups: not anonymised, not merged into another record."""
        return self.filter(anonymised_at__isnull=True, merged_into__isnull=True)


class Person(models.Model):
    """Anyone we know of: member, visitor, official. Either script of the name may be missing."""

    first_name_ar = models.CharField(_("first name (Arabic)"), max_length=100, blank=True)
    last_name_ar = models.CharField(_("last name (Arabic)"), max_length=100, blank=True)
    first_name_latin = models.CharField(_("first name (Latin)"), max_length=100, blank=True)
    last_name_latin = models.CharField(_("last name (Latin)"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    cin = models.CharField(
        _("national ID number (CIN)"), max_length=10, null=True, blank=True, unique=True
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("email"), blank=True)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("commune of residence"),
        on_delete=models.PROTECT,
        related_name="residents",
    )
    # The office whose door desk registered the person; a volunteer sees only these.
    office = models.ForeignKey(
        Office,
        verbose_name=_("registered at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    education = models.CharField(
        _("education level"), max_length=20, choices=Education.choices, blank=True
    )
    profession = models.CharField(_("profession"), max_length=120, blank=True)
    skills = models.ManyToManyField(
        Skill, verbose_name=_("skills"), blank=True, related_name="people"
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Blocking keys for duplicate lookup, derived from the names by abwab.names (kept in the row so
    # the lookup is an index probe, not a scan).
    key_first = models.CharField(max_length=60, blank=True, editable=False)
    key_last = models.CharField(max_length=60, blank=True, editable=False)
    key_full = models.CharField(max_length=120, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        editable=False,
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["key_full", "birth_date"], name="person_key_birth"),
            models.Index(fields=["key_last", "key_first"], name="person_key_names"),
            models.Index(fields=["key_full", "territory"], name="person_key_commune"),
            models.Index(fields=["key_last", "birth_date"], name="person_lastkey_birth"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(
                    first_name_ar="", last_name_ar="", first_name_latin="", last_name_latin=""
                )
                | Q(anonymised_at__isnull=False),
                name="person_has_a_name",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def name_ar(self) -> str:
        return f"{self.first_name_ar} {self.last_name_ar}".strip()

    @property
    def name_latin(self) -> str:
        return f"{self.first_name_latin} {self.last_name_latin}".strip()

    @property
    def display_name(self) -> str:
        return self.name_ar or self.name_latin or "—"

    @cached_property
    def membership(self) -> "Membership | None":
        """The membership that has not ended, else the latest one (uses prefetched rows when there)."""
        rows = sorted(
            self.memberships.all(),
            key=lambda m: (m.status != MembershipStatus.ENDED, m.joined_on, m.pk),
        )
        return rows[-1] if rows else None


class MembershipStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class ConsentPurpose(models.TextChoices):
    MEMBERSHIP = "membership", _("Party membership (political affiliation)")
    CONTACT = "contact", _("Being contacted about a concern")


class ConsentChannel(models.TextChoices):
    DOOR = "door", _("At an office's door desk")
    PAPER = "paper", _("Signed paper form")
    ONLINE = "online", _("Online form")
    IMPORT = "import", _("Imported from an earlier register")


class Consent(models.Model):
    """An explicit consent (law 09-08): what was shown, when, how, and who collected it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
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


class Function(models.TextChoices):
    """Functions in a party body, in rank order (lower rank is listed first)."""

    SECRETARY_GENERAL = "secretary_general", _("Secretary general")
    REGIONAL_SECRETARY = "regional_secretary", _("Regional secretary")
    PROVINCIAL_SECRETARY = "provincial_secretary", _("Provincial secretary")
    LOCAL_SECRETARY = "local_secretary", _("Local secretary")
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-president")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    TREASURER = "treasurer", _("Treasurer")
    GROUP_HEAD = "group_head", _("Head of the group")
    MEMBER = "member", _("Member")


FUNCTION_RANK = {function: rank for rank, function in enumerate(Function)}


class Position(models.Model):
    """A dated role of a person in a party body."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="positions")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="positions")
    function = models.CharField(_("function"), max_length=30, choices=Function.choices)
    rank = models.PositiveSmallIntegerField(_("rank"), editable=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["rank", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="position_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_function_display()} — {self.body}"


class Institution(models.TextChoices):
    PARLIAMENT = "parliament", _("House of Representatives")
    COUNCILLORS = "councillors", _("House of Councillors")
    GOVERNMENT = "government", _("Government")
    REGIONAL_COUNCIL = "regional_council", _("Regional council")
    PROVINCIAL_COUNCIL = "provincial_council", _("Provincial council")
    COMMUNAL_COUNCIL = "communal_council", _("Communal council")


class MandateRole(models.TextChoices):
    PRESIDENT = "president", _("President")
    VICE_PRESIDENT = "vice_president", _("Vice-president")
    MINISTER = "minister", _("Minister")
    GROUP_HEAD = "group_head", _("Head of the party group")
    MEMBER = "member", _("Member")


class Mandate(models.Model):
    """A dated elected office (member of parliament, president of a communal council, ...)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mandates")
    institution = models.CharField(_("institution"), max_length=30, choices=Institution.choices)
    role = models.CharField(_("role"), max_length=30, choices=MandateRole.choices)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("territory represented"),
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="mandate_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.get_institution_display()}"


class ClusterStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    DISMISSED = "dismissed", _("Not duplicates")


class DuplicateCluster(models.Model):
    """A group of records the batch dedup job thinks are one person, waiting for review."""

    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    job = models.ForeignKey(
        "core.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ClusterStatus.choices, default=ClusterStatus.OPEN
    )
    score = models.FloatField(_("score"), default=0)
    people = models.ManyToManyField(
        Person, verbose_name=_("persons"), related_name="duplicate_clusters"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("duplicate cluster")
        verbose_name_plural = _("duplicate clusters")
        ordering = ["-score", "pk"]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.get_status_display()})"


class PersonMerge(models.Model):
    """One merge of a duplicate record into a surviving one, with the journal that lets it be undone."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_received")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_given")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    journal = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Imported")
    ROLLED_BACK = "rolled_back", _("Rolled back")


class ImportBatch(models.Model):
    """A member list brought into Abwab: its file, how its columns map, and where it stands."""

    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    name = models.CharField(max_length=200)
    columns = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class RowStatus(models.TextChoices):
    PENDING = "pending", _("To import")
    INVALID = "invalid", _("Invalid")
    DUPLICATE = "duplicate", _("Already known")
    IMPORTED = "imported", _("Imported")


class ImportRow(models.Model):
    """One line of an imported file, kept with its error so nothing is lost or imported twice."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    data = models.JSONField()
    status = models.CharField(max_length=20, choices=RowStatus.choices, default=RowStatus.PENDING)
    error = models.CharField(max_length=500, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["line"]
        constraints = [models.UniqueConstraint(fields=["batch", "line"], name="import_row_once")]
        indexes = [models.Index(fields=["batch", "status", "line"], name="import_row_status_line")]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line}"
