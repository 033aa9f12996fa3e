"""Party bodies at work: meetings with attendance, agenda and decisions, recurring programmes,
and the communiqué the media office publishes afterwards."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from abwab.people.models import Person
from abwab.territory.models import Body, Office, Territory


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
    starts_at = models.DateTimeField(_("date and time"))
    office = models.ForeignKey(
        Office,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    place = models.CharField(_("other place"), max_length=200, blank=True)
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
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (%)"), default=50)
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

    def __str__(self) -> str:
        return f"{self.body} — {self.starts_at:%Y-%m-%d}"


class Presence(models.TextChoices):
    INVITED = "invited", _("Invited")
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """A person invited to a meeting, with what they were on that date (kept as recorded)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    presence = models.CharField(
        _("presence"), max_length=10, choices=Presence.choices, default=Presence.INVITED
    )
    function = models.CharField(_("function"), max_length=40, blank=True)
    rank = models.PositiveSmallIntegerField(default=99)
    represents = models.ForeignKey(
        Territory,
        verbose_name=_("represents"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_member = models.BooleanField(_("member of the body"), default=True)

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.presence})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("theme"), max_length=300)
    summary = models.TextField(_("summary of the discussion"), blank=True)

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
    """Something a meeting decided, with an owner, a territory, a due date and a status."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
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

    def __str__(self) -> str:
        return self.text[:60]


class CommuniqueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
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
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="communique_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title
