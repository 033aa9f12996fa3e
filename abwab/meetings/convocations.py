"""Convocations: each invitee is told of a planned meeting (email and SMS, with their consent to
convocations) with a personal signed link to answer "attending" or "excused"; the answers make
the expected attendance the meeting page shows; a reminder goes the day before.

The link carries the attendance's id signed with the site's secret (no row to store, nothing to
guess); it opens a page that asks before it records (mail scanners open links: a GET never
answers for the invitee).
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from abwab.core.bidi import isolate_ltr
from abwab.core.dates import clock, long_date
from abwab.core.errors import ErrorCode
from abwab.core.scope import require_change
from abwab.meetings.models import Attendance, Meeting, MeetingStatus, Presence, Reply
from abwab.people.models import ConsentPurpose

REPLY_SALT = "abwab.meetings.reply"
CASABLANCA = ZoneInfo("Africa/Casablanca")


def reply_token(attendance: Attendance) -> str:
    """The signed token of one invitee's reply link (meeting and attendance ids)."""
    return signing.dumps([attendance.meeting_id, attendance.pk], salt=REPLY_SALT, compress=True)


def attendance_from_token(token: str) -> Attendance | None:
    """The attendance a reply link names, or None when the token was altered or forged."""
    try:
        meeting_id, attendance_id = signing.loads(token, salt=REPLY_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        Attendance.objects.select_related("meeting__body", "meeting__office", "person")
        .filter(pk=attendance_id, meeting_id=meeting_id)
        .first()
    )


def reply_url(attendance: Attendance, *, base_url: str) -> str:
    """The absolute address of the invitee's reply page."""
    path = reverse("meetings:reply", args=[reply_token(attendance)])
    return base_url.rstrip("/") + path


def may_reply(meeting: Meeting) -> bool:
    """Answers are taken while the meeting is planned and has not started."""
    return meeting.status == MeetingStatus.DRAFT and meeting.starts_at > timezone.now()


@transaction.atomic
def attendance_reply(*, attendance: Attendance, reply: str) -> Attendance:
    """Record the invitee's answer; "excused" also records the apology as their presence until
    the secretary records the attendance at the meeting (and "attending" takes it back)."""
    if reply not in Reply.values:
        raise ValidationError(_("Unknown answer."), code=ErrorCode.INVALID_STATUS)
    attendance = (
        Attendance.objects.select_for_update().select_related("meeting").get(pk=attendance.pk)
    )
    if not may_reply(attendance.meeting):
        raise ValidationError(
            _("This meeting no longer takes answers."), code=ErrorCode.INVALID_STATUS
        )
    fields = ["reply", "replied_at"]
    if reply == Reply.EXCUSED and attendance.presence == Presence.INVITED:
        attendance.presence = Presence.EXCUSED
        fields.append("presence")
    elif (
        reply == Reply.ATTENDING
        and attendance.reply == Reply.EXCUSED
        and attendance.presence == Presence.EXCUSED
    ):
        attendance.presence = Presence.INVITED
        fields.append("presence")
    attendance.reply, attendance.replied_at = reply, timezone.now()
    attendance.save(update_fields=fields)
    return attendance


@dataclass(frozen=True)
class Expected:
    attending: int
    excused: int
    no_reply: int

    @property
    def invited(self) -> int:
        return self.attending + self.excused + self.no_reply


def expected_attendance(meeting: Meeting) -> Expected:
    """How many invitees said they will come, sent apologies, or have not answered."""
    replies = list(meeting.attendances.values_list("reply", flat=True))
    return Expected(
        attending=replies.count(Reply.ATTENDING),
        excused=replies.count(Reply.EXCUSED),
        no_reply=replies.count(""),
    )


def convocation_last(user, meeting: Meeting):
    """The meeting's latest convocation or reminder the user may follow (its progress page)."""
    from abwab.core.scope import visible_to
    from abwab.messaging.models import Send

    sends = Send.objects.filter(about=f"meetings.meeting:{meeting.pk}").order_by("-created_at")
    return visible_to(user, sends).first()


def _place(meeting: Meeting, language: str) -> str:
    if meeting.office_id:
        office = meeting.office
        return (office.name_fr or office.name_ar) if language == "fr" else office.name_ar
    if language == "fr":
        return meeting.place_fr or meeting.place
    return meeting.place or meeting.place_fr


def _texts(meeting: Meeting, *, reminder: bool) -> dict[str, str]:
    """Subject and body in Arabic and French; `{reply_url}` stands for each invitee's link."""
    starts = timezone.localtime(meeting.starts_at, CASABLANCA)
    texts = {}
    for language in ("ar", "fr"):
        with translation.override(language):
            body_name = (
                meeting.body.name_fr or meeting.body.name_ar
                if language == "fr"
                else meeting.body.name_ar
            )
            values = {
                "body": body_name,
                "date": long_date(starts.date(), language),
                # Arabic text is sent as UCS-2 anyway; the isolates would double a French SMS.
                "time": isolate_ltr(clock(starts)) if language == "ar" else clock(starts),
                "place": _place(meeting, language) or "—",
            }
            subject = (
                _("Reminder: meeting of %(body)s tomorrow")
                if reminder
                else _("Convocation: meeting of %(body)s on %(date)s")
            ) % values
            agenda = "\n".join(
                f"- {(item.title_fr or item.title) if language == 'fr' else item.title}"
                for item in meeting.agenda.all()
            )
            lines = [
                (
                    _(
                        "Reminder: the meeting of %(body)s is tomorrow, %(date)s at %(time)s, %(place)s."
                    )
                    if reminder
                    else _(
                        "You are convened to the meeting of %(body)s on %(date)s at %(time)s, "
                        "%(place)s."
                    )
                )
                % values
            ]
            if agenda and not reminder:
                lines.append(_("Agenda:") + "\n" + agenda)
            lines.append(
                _("Please answer (attending or excused): %(link)s") % {"link": "{reply_url}"}
            )
            texts[f"subject_{language}"] = subject
            texts[f"body_{language}"] = "\n".join(lines)
    return texts


def _base_url(base_url: str | None) -> str:
    return base_url or getattr(settings, "ABWAB_SITE_URL", "") or "http://localhost:8000"


def convocation_send(*, actor, meeting: Meeting, base_url: str | None = None, reminder=False):
    """Queue the convocation (or the day-before reminder) to every invitee, by email and SMS,
    each with their reply link; those without a consent to convocations on a channel are refused
    by the engine and counted. The meeting records when the convocation went."""
    from abwab.messaging.models import Send, SendKind

    if actor is not None:
        require_change(actor, meeting, _("You cannot change this meeting."))
    if meeting.status != MeetingStatus.DRAFT:
        raise ValidationError(_("Only a planned meeting is convened."), code=ErrorCode.NOT_DRAFT)
    attendances = list(meeting.attendances.select_related("person"))
    if reminder:
        attendances = [a for a in attendances if a.reply != Reply.EXCUSED]
    kind = SendKind.REMINDER if reminder else SendKind.CONVOCATION
    base = _base_url(base_url)
    with transaction.atomic():
        send = Send(
            kind=kind,
            purpose=ConsentPurpose.CONVOCATIONS,
            by_email=True,
            by_sms=True,
            territory=meeting.body.territory,
            about=f"meetings.meeting:{meeting.pk}",
            filters={"meeting": meeting.pk},
            created_by=actor,
            **_texts(meeting, reminder=reminder),
        )
        if attendances:  # a session convened by other means (paper) is only recorded
            send.full_clean(exclude=["created_by"])  # the system sends too
            send.save()
            recipients = [
                (a.person, {"reply_url": reply_url(a, base_url=base)}) for a in attendances
            ]
            _queue(actor=actor, send=send, recipients=recipients)
        if not reminder:
            meeting.convoked_at = timezone.now()
            meeting.save(update_fields=["convoked_at"])
    return send if send.pk else None


def convocation_cost(meeting: Meeting, *, base_url: str | None = None):
    """What the convocation's SMS will cost, shown beside "Send the convocation": the texts as
    they will go (a reply link of the real form: the longest id's), the invitees who will get an
    SMS (a phone and a consent to convocations by SMS); None when nobody is invited."""
    from abwab.messaging.cost import sms_cost

    attendances = list(meeting.attendances.select_related("person"))
    if not attendances:
        return None
    sample = max(attendances, key=lambda a: a.pk)
    return sms_cost(
        _texts(meeting, reminder=False),
        [a.person for a in attendances],
        ConsentPurpose.CONVOCATIONS,
        context={"reply_url": reply_url(sample, base_url=_base_url(base_url))},
    )


def _queue(*, actor, send, recipients):
    """The one call into the sending engine for convocations and reminders."""
    from abwab.messaging.delivery import deliver

    return deliver(actor=actor, send=send, recipients=recipients, recipients_from_object=True)


def reminders_due(now: datetime.datetime | None = None):
    """Convened meetings that start tomorrow (Casablanca time) and have no reminder yet."""
    from abwab.messaging.models import Send, SendKind

    today = timezone.localtime(now or timezone.now(), CASABLANCA).date()
    tomorrow = today + datetime.timedelta(days=1)
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=CASABLANCA)
    reminded = Send.objects.filter(kind=SendKind.REMINDER, about__startswith="meetings.meeting:")
    return (
        Meeting.objects.filter(
            status=MeetingStatus.DRAFT,
            convoked_at__isnull=False,
            starts_at__gte=start,
            starts_at__lt=start + datetime.timedelta(days=1),
        )
        .exclude(
            pk__in=[int(about.split(":")[1]) for about in reminded.values_list("about", flat=True)]
        )
        .select_related("body__territory", "office")
    )


def reminders_send(*, now: datetime.datetime | None = None, base_url: str | None = None) -> int:
    """Send the day-before reminders (run daily: `abwab meetings_remind`); how many meetings."""
    count = 0
    for meeting in reminders_due(now):
        convocation_send(actor=None, meeting=meeting, base_url=base_url, reminder=True)
        count += 1
    return count
