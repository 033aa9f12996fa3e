"""Party bodies at work: meetings with attendance, agenda and decisions, recurring programmes,
and the communiqué the media office publishes afterwards."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abwab.people.models import Person
from abwab.territory.models import Body, Office, PartyUnit, Quorum, Territory


class MeetingKind(models.TextChoices):
    ORDINARY = "ordinary", _("Ordinary")
    EXTRAORDINARY = "extraordinary", _("Extraordinary")
    PREPARATORY = "preparatory", _("Preparatory (campaign)")
    COUNCIL_SESSION = "council_session", _("Council session")
    FOUNDING = "founding", _("Founding meeting")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Planned")
    HELD = "held", _("Held")
    APPROVED = "approved", _("Minutes approved")
    CANCELLED = "cancelled", _("Cancelled")


class Programme(models.Model):
    """A recurring plan, e.g. "a meeting of the provincial secretariat in every province of the region"."""

    name_ar = models.CharField(_("Arabic name"), max_length=200)
    name_fr = models.CharField(_("French name"), max_length=200)
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    body_kind = models.CharField(_("body"), max_length=40)
    due_on = models.DateField(_("due on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name_ar


class Meeting(models.Model):
    """A meeting of a body: planned, held (attendance, agenda, decisions), minutes approved."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.ORDINARY
    )
    session = models.CharField(
        _("session"),
        max_length=100,
        blank=True,
        help_text=_("For a council, e.g. the second ordinary session."),
    )
    session_number = models.PositiveSmallIntegerField(
        _("session number"),
        null=True,
        blank=True,
        help_text=_("For a council session: 2 for the second session."),
    )
    starts_at = models.DateTimeField(_("date and time"))
    office = models.ForeignKey(
        Office,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A place without an office, as a noun phrase: "المقر الجهوي بفاس", "le siège régional à Fès".
    place = models.CharField(_("other place (Arabic)"), max_length=200, blank=True)
    place_fr = models.CharField(_("other place (French)"), max_length=200, blank=True)
    chair = models.ForeignKey(
        Person,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    convoked_at = models.DateTimeField(_("convocation sent"), null=True, blank=True)
    # The body's rules when the meeting was planned (abwab.territory Quorum), kept as they were.
    quorum = models.CharField(
        _("quorum"), max_length=20, choices=Quorum.choices, default=Quorum.MAJORITY
    )
    proxies_allowed = models.BooleanField(_("proxies allowed"), default=False)
    # Said when the meeting is recorded as held without its quorum (e.g. a second convocation).
    quorum_note = models.CharField(_("note on the quorum"), max_length=300, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancelled_reason=""),
                name="meeting_cancelled_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.body} — {self.starts_at:%Y-%m-%d}"


class Presence(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Reply(models.TextChoices):
    """What an invitee answered through the personal link in their convocation."""

    ATTENDING = "attending", _("Will attend")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    """A person invited to a meeting, with what they were on that date (kept as recorded).

    `function` is a position's function (abwab.people Function) or, when `institution` is set, the
    role of an elected mandate in that institution (a member of the House of Representatives is
    institution "parliament", function "member"). Empty for a guest.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(
        _("presence"), max_length=10, choices=Presence.choices, default=Presence.INVITED
    )
    function = models.CharField(_("function"), max_length=40, blank=True)
    institution = models.CharField(_("institution"), max_length=30, blank=True)
    # The body in which the function is held, when invited as an office holder.
    body = models.ForeignKey(
        Body,
        verbose_name=_("as office holder of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rank = models.PositiveSmallIntegerField(default=99)
    represents = models.ForeignKey(
        Territory,
        verbose_name=_("represents"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    represents_unit = models.ForeignKey(
        PartyUnit,
        verbose_name=_("represents (party unit)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_member = models.BooleanField(_("member of the body"), default=True)
    # An absent member who gave their vote to one present (where the body's rules allow proxies).
    proxy = models.ForeignKey(
        Person,
        verbose_name=_("proxy given to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The invitee's own answer to the convocation (expected attendance), apart from the presence
    # recorded at the meeting itself.
    reply = models.CharField(_("reply"), max_length=10, choices=Reply.choices, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.presence})"


class InviteeGroup(models.TextChoices):
    SECRETARIAT_MEMBERS = "secretariat_members", _("Members of the secretariat")
    COUNCIL_PRESIDENTS = "council_presidents", _("Presidents of the communal councils")
    DIRECTORS = "directors", _("The party's directors")
    ELECTED_MEMBERS = "elected_members", _("The party's elected members")
    OTHER = "other", _("Other group")


class Invitation(models.Model):
    """A group invited as a whole ("the presidents of the communal councils of the region"):
    named in the communiqué, without listing persons."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="groups")
    group = models.CharField(_("group"), max_length=30, choices=InviteeGroup.choices)
    name_ar = models.CharField(_("Arabic name"), max_length=200, blank=True)
    name_fr = models.CharField(_("French name"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("invited group")
        verbose_name_plural = _("invited groups")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "group"],
                condition=~Q(group="other"),
                name="invitation_group_once",
            ),
            models.CheckConstraint(
                condition=~Q(group="other") | ~Q(name_ar="") | ~Q(name_fr=""),
                name="invitation_other_is_named",
            ),
        ]

    def __str__(self) -> str:
        return self.name_ar or self.get_group_display()


class AgendaItem(models.Model):
    """A theme of the agenda; `title` and `summary` are the Arabic text, `*_fr` the French one."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("theme (Arabic)"), max_length=300, blank=True)
    title_fr = models.CharField(_("theme (French)"), max_length=300, blank=True)
    summary = models.TextField(_("summary of the discussion (Arabic)"), blank=True)
    summary_fr = models.TextField(_("summary of the discussion (French)"), blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    """A file joined to a meeting (minutes, report, photo); served only through the scope gate."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/")
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("To do")
    IN_PROGRESS = "in_progress", _("Under way")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Decision(models.Model):
    """Something a meeting decided, with an owner, a territory, a due date and a status; numbered
    per body and year ("decision 12/2026"). `text` is the Arabic text, `text_fr` the French one."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("decision (Arabic)"), blank=True)
    text_fr = models.TextField(_("decision (French)"), blank=True)
    owner_person = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_body = models.ForeignKey(
        Body,
        verbose_name=_("owning body"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="decision_status_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "number"],
                condition=Q(number__isnull=False),
                name="decision_number_per_body_year",
            ),
        ]

    def __str__(self) -> str:
        return (self.text or self.text_fr)[:60]

    @property
    def reference(self) -> str:
        """ "12/2026": how the register cites it."""
        return f"{self.number}/{self.year}" if self.number else ""


class DecisionUpdate(models.Model):
    """One step of a decision's follow-up: its new status and what was done."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(_("status"), max_length=20, choices=DecisionStatus.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.decision} → {self.status}"


class CommuniqueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("With the media office")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Communique(models.Model):
    """The press release of a meeting, generated from the record, edited, then published."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="communiques")
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=20, choices=CommuniqueStatus.choices, default=CommuniqueStatus.DRAFT
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    # What the media office said when it sent the draft back (cleared when it is sent again).
    review_comment = models.CharField(_("comment"), max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("communiqué")
        verbose_name_plural = _("communiqués")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="communique_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    NEWS_PAGE = "news_page", _("Public news page")
    WEBSITE = "website", _("Party website")
    FACEBOOK = "facebook", _("Facebook")
    PRESS = "press", _("Press")
    OTHER = "other", _("Other")


class Publication(models.Model):
    """Where a published communiqué went (the news page, the party's site, a newspaper)."""

    communique = models.ForeignKey(
        Communique, on_delete=models.CASCADE, related_name="publications"
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    url = models.URLField(_("address"), blank=True)
    published_at = models.DateTimeField(_("published on"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["published_at", "pk"]

    def __str__(self) -> str:
        return f"{self.communique} — {self.channel}"


class FoundingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    FOUNDED = "founded", _("Founded")
    CANCELLED = "cancelled", _("Cancelled")


class Founding(models.Model):
    """The founding of a commune's local secretariat: its meeting planned (date, place, the
    provincial secretary who supervises it), then recorded (founding members, officers elected)."""

    commune = models.ForeignKey(
        Territory, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("date and time"))
    office = models.ForeignKey(
        Office,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.CharField(_("other place (Arabic)"), max_length=200, blank=True)
    place_fr = models.CharField(_("other place (French)"), max_length=200, blank=True)
    supervisor = models.ForeignKey(
        Person,
        verbose_name=_("supervised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=FoundingStatus.choices, default=FoundingStatus.PLANNED
    )
    founders = models.ManyToManyField(
        Person, verbose_name=_("founding members"), blank=True, related_name="+"
    )
    # Set when the founding is recorded: the new body and the founding meeting as held.
    body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_at = models.DateTimeField(default=timezone.now)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("founding of a local secretariat")
        verbose_name_plural = _("foundings of local secretariats")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune"],
                condition=~Q(status="cancelled"),
                name="founding_one_per_commune",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commune} — {self.starts_at:%Y-%m-%d}"


class ProgrammePlace(models.Model):
    """Where a programme's meeting is held when away from its body's seat ("the regional
    secretariat meets in every province"): the meeting then shows in that place's calendar."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="programme_place"
    )
    territory = models.ForeignKey(
        Territory, verbose_name=_("territory"), on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.meeting} @ {self.territory}"
