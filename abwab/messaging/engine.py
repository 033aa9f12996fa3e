"""The sending engine: a send's messages queued (one per person and channel, keyed), then handed to
the channels by the background worker at each channel's rate, outside quiet hours, with retries.

Consent (law 09-08 art. 10) is read twice: when the messages are queued (those without a consent
in force for the send's purpose on that channel are recorded as refused and never rendered), and
again right before each hand-over, so a withdrawal between the two is honoured.

Stop, kill and resume. A worker claims a batch (QUEUED -> SENDING, committed), and for each message
commits `sent_at` at the channel's point of no return (see abwab/messaging/email.py), then marks
the batch SENT. A run that starts finds the SENDING messages a killed run left: with `sent_at` (or
SMS parts the SMSC acknowledged) they reached the relay and count as sent; without, they did not,
and are queued again. One worker runs a send at a time: pause it (`send_pause`) before resuming it,
or resume only a send whose worker died.
"""

import datetime
import logging
import re
import time
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abwab.core.errors import ErrorCode
from abwab.core.jobs import job_handler, job_progress, job_start, run_job
from abwab.core.models import AuditEntry, Job
from abwab.core.scope import CHANGE, can, visible_to
from abwab.messaging.channels import channel_for
from abwab.messaging.consent import consent_in_force, people_with_consent
from abwab.messaging.errors import PermanentFailure, SendError, TemporaryFailure
from abwab.messaging.models import Message, MessageStatus, Send, SendKind, SendStatus
from abwab.people.models import ConsentMedium, ConsentPurpose, Person

logger = logging.getLogger(__name__)
JOB_KIND = "messaging.send"
CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")
BATCH = 100  # messages claimed at once (a kill leaves at most this many to look at again)
QUEUE_CHUNK = 2000  # persons read and messages written at once when queueing
INLINE_WAIT = 120  # seconds a run waits for a retry that falls due; longer, it is deferred
NO_CONSENT = "no_consent"
NO_ADDRESS = "no_address"
DONE_STATUSES = (MessageStatus.SENT, MessageStatus.DELIVERED)
FAILED_STATUSES = (MessageStatus.FAILED, MessageStatus.BOUNCED)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def render(template: str, context: dict) -> str:
    """`{name}` placeholders filled from `context`; unknown ones stay as written. Deliberately no
    attribute or index access (a template typed by a user reaches nothing but these values)."""
    return _PLACEHOLDER.sub(lambda m: str(context.get(m[1], m[0])), template)


def _mediums(send: Send) -> list[str]:
    return [
        m
        for m, on in ((ConsentMedium.EMAIL, send.by_email), (ConsentMedium.SMS, send.by_sms))
        if on
    ]


def _language(person: Person | None, send: Send) -> str:
    languages = (person.languages or []) if person is not None else []
    wants_fr = bool(languages) and languages[0] == "fr"
    return "fr" if wants_fr and (send.body_fr or send.subject_fr) else "ar"


def _address(person, medium: str) -> str:
    return (person.email if medium == ConsentMedium.EMAIL else person.phone) or ""


def _person_context(person: Person) -> dict:
    return {
        "first_name": person.first_name_ar or person.first_name_latin,
        "last_name": person.last_name_ar or person.last_name_latin,
        "first_name_latin": person.first_name_latin or person.first_name_ar,
        "last_name_latin": person.last_name_latin or person.last_name_ar,
    }


def _pairs(people) -> list[tuple[int, dict]]:
    """(person id, extra context) from persons, ids, or (person or id, context) pairs."""
    pairs = []
    for item in people:
        target, extra = item if isinstance(item, tuple) else (item, {})
        pairs.append((target if isinstance(target, int) else target.pk, extra or {}))
    return pairs


def _check_scope(actor, send: Send, person_ids: list[int]) -> None:
    """A secretary sends for their own territory, to people they may see: an id they cannot see
    (from a form, a list, a request body) refuses the whole send, and nothing is queued."""
    if actor is None:  # the system itself (reminders the day before, account notices)
        return
    if not can(actor, CHANGE, send):
        raise ValidationError(
            _("You cannot send messages for this territory."), code=ErrorCode.FORBIDDEN
        )
    visible: set[int] = set()
    for start in range(0, len(person_ids), QUEUE_CHUNK):
        chunk = person_ids[start : start + QUEUE_CHUNK]
        visible.update(
            visible_to(actor, Person.objects.live().filter(pk__in=chunk)).values_list(
                "pk", flat=True
            )
        )
    if len(visible) != len(set(person_ids)):
        raise ValidationError(
            _("Some recipients are outside your territory; nothing was sent."),
            code=ErrorCode.OUTSIDE_TERRITORY,
        )


def _texts(send: Send, language: str) -> tuple[str, str]:
    if language == "fr":
        return send.subject_fr or send.subject_ar, send.body_fr or send.body_ar
    return send.subject_ar or send.subject_fr, send.body_ar or send.body_fr


def _person_messages(send: Send, pairs: list[tuple[int, dict]]) -> list[Message]:
    persons = Person.objects.in_bulk([pk for pk, _extra in pairs])
    messages = []
    for medium in _mediums(send):
        allowed = (
            people_with_consent(person_ids=persons, purpose=send.purpose, medium=medium)
            if send.purpose
            else set(persons)
        )
        for person_id, extra in pairs:
            person = persons.get(person_id)
            if person is None:
                continue
            message = Message(
                send=send,
                person=person,
                medium=medium,
                address=_address(person, medium),
                key=f"{send.pk}:{person.pk}:{medium}",
                language=_language(person, send),
            )
            if person.pk not in allowed:  # refused: nothing rendered, nothing kept but the fact
                message.status, message.last_error, message.address = (
                    MessageStatus.REFUSED,
                    NO_CONSENT,
                    "",
                )
            elif not message.address:
                message.status, message.last_error = MessageStatus.FAILED, NO_ADDRESS
            else:
                subject, body = _texts(send, message.language)
                context = {**_person_context(person), **extra}
                message.subject = render(subject, context)[:200]
                message.body = render(body, context)
            messages.append(message)
    return messages


def _user_messages(send: Send, users) -> list[Message]:
    """Account notices: to an account's email, no consent needed (the user asked for the service)."""
    subject, body = _texts(send, "ar")
    return [
        Message(
            send=send,
            user=user,
            medium=ConsentMedium.EMAIL,
            address=user.email,
            key=f"{send.pk}:u{user.pk}:email",
            subject=render(subject, {"username": user.get_username()})[:200],
            body=render(body, {"username": user.get_username()}),
            status=MessageStatus.QUEUED if user.email else MessageStatus.FAILED,
            last_error="" if user.email else NO_ADDRESS,
        )
        for user in users
    ]


@transaction.atomic
def queue_send(
    actor,
    send: Send,
    people: Iterable = (),
    *,
    users: Iterable = (),
    recipients_from_object: bool = False,
) -> Send:
    """Queue a saved send's messages for `people` (persons, ids, or (person, {placeholder: value})
    pairs) and start the worker after commit. Refuses, for the whole send, anyone the actor cannot
    see; records as refused (counted, not sent) anyone without a consent in force for the send's
    purpose on that channel. Queueing again adds only the persons not yet there (keys are unique).

    `recipients_from_object`: the recipients were not chosen in a request but read from an object
    the actor may change (a meeting's invitees, the office holders below a campaign's node), and
    may live outside the actor's territory; the send itself is still gated."""
    if not send.purpose and send.kind != SendKind.ACCOUNT:
        raise ValidationError(
            _("A message needs the purpose its recipients consented to."),
            code=ErrorCode.CONSENT_REQUIRED,
        )
    if not _mediums(send):
        raise ValidationError(_("Choose email, SMS or both."), code=ErrorCode.EMPTY)
    pairs = _pairs(people)
    _check_scope(actor, send, [] if recipients_from_object else [pk for pk, _extra in pairs])
    for start in range(0, len(pairs), QUEUE_CHUNK):
        Message.objects.bulk_create(
            _person_messages(send, pairs[start : start + QUEUE_CHUNK]),
            batch_size=500,
            ignore_conflicts=True,
        )
    users = list(users)
    if users:
        if send.kind != SendKind.ACCOUNT:
            raise ValidationError(_("Only account notices go to accounts."), code=ErrorCode.INVALID)
        Message.objects.bulk_create(_user_messages(send, users), ignore_conflicts=True)
    send.status = SendStatus.QUEUED
    send.save(update_fields=["status"])
    send_count(send)
    _audit(actor, send, "send")
    send_start(actor, send)
    return send


def send_start(actor, send: Send) -> Job:
    """Start (or restart) the worker on a send, after this transaction commits."""
    return job_start(
        actor=actor, kind=JOB_KIND, territory=send.territory, params={"send_id": send.pk}
    )


def _audit(actor, send: Send, action: str) -> None:
    """Who sent, to how many, which list: never the texts (an answer to a citizen is personal)."""
    filters = ",".join(f"{k}={v}" for k, v in sorted((send.filters or {}).items()))
    AuditEntry.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "system",
        action=f"messaging.{action}",
        object_type="messaging.Send",
        object_id=str(send.pk),
        count=send.total,
        method="JOB",
        path=send.about[:300],
        reason=f"{send.kind} {send.purpose or '-'} {filters} refused={send.refused}"[:300],
        territory=send.territory,
    )


def send_count(send: Send) -> Send:
    """Recount a send's counters from its messages (one grouped query)."""
    by_status = dict(
        Message.objects.filter(send=send)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    send.total = sum(by_status.values())
    send.done = sum(by_status.get(s, 0) for s in DONE_STATUSES)
    send.failed = sum(by_status.get(s, 0) for s in FAILED_STATUSES)
    send.refused = by_status.get(MessageStatus.REFUSED, 0)
    Send.objects.filter(pk=send.pk).update(
        total=send.total, done=send.done, failed=send.failed, refused=send.refused
    )
    return send


@transaction.atomic
def send_pause(*, actor, send: Send) -> Send:
    """Stop a running send after the message being handed over; `send_resume` goes on."""
    if actor is not None and not can(actor, CHANGE, send):
        raise ValidationError(_("You cannot change this sending."), code=ErrorCode.FORBIDDEN)
    Send.objects.filter(pk=send.pk, status__in=[SendStatus.QUEUED, SendStatus.RUNNING]).update(
        status=SendStatus.PAUSED
    )
    send.refresh_from_db()
    _audit(actor, send, "pause")
    return send


@transaction.atomic
def send_resume(*, actor, send: Send) -> Send:
    """Go on with a paused send, or one whose worker was stopped or killed: nothing goes twice."""
    if actor is not None and not can(actor, CHANGE, send):
        raise ValidationError(_("You cannot change this sending."), code=ErrorCode.FORBIDDEN)
    if send.status in (SendStatus.DONE, SendStatus.CANCELLED, SendStatus.DRAFT):
        raise ValidationError(_("This sending cannot be resumed."), code=ErrorCode.INVALID_STATUS)
    Send.objects.filter(pk=send.pk).update(status=SendStatus.QUEUED)
    send.refresh_from_db()
    _audit(actor, send, "resume")
    send_start(actor, send)
    return send


# --- The worker ---------------------------------------------------------------------------------


def in_quiet_hours(send: Send, now: datetime.datetime) -> datetime.datetime | None:
    """When party news or members' messages fall in quiet hours, the moment those end."""
    if send.purpose != ConsentPurpose.NEWS and send.kind != SendKind.MEMBERS:
        return None
    start, end = settings.MESSAGING_QUIET_HOURS
    local = timezone.localtime(now, CASABLANCA)
    quiet = (start <= local.hour or local.hour < end) if start > end else start <= local.hour < end
    if not quiet:
        return None
    until = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if until <= local:
        until += datetime.timedelta(days=1)
    return until


class Pacer:
    """At most `rate` hand-overs a second on one channel (sleeps between them)."""

    def __init__(self, rate: float, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.clock, self.sleep, self.next_at = clock, sleep, 0.0

    def wait(self) -> None:
        now = self.clock()
        if self.next_at > now:
            self.sleep(self.next_at - now)
            now = self.next_at
        self.next_at = now + self.interval


def _recover(send: Send) -> int:
    """Settle the messages a killed run left "sending" (see the module's doc); how many went."""
    left = Message.objects.filter(send=send, status=MessageStatus.SENDING)
    # An SMS went when the SMSC acknowledged all its parts; with some only, it is queued again
    # and the SMS channel submits just the missing parts (same reference: the phone joins them).
    went = left.annotate(acknowledged=Count("sms_parts")).filter(
        Q(sent_at__isnull=False) | Q(medium=ConsentMedium.SMS, acknowledged__gte=F("parts"))
    )
    count = Message.objects.filter(pk__in=list(went.values_list("pk", flat=True))).update(
        status=MessageStatus.SENT, sent_at=Coalesce("sent_at", timezone.now())
    )
    left.update(status=MessageStatus.QUEUED)
    return count


def _claim(send: Send, now) -> list[Message]:
    """Take the next due messages (QUEUED -> SENDING, committed before any hand-over)."""
    with transaction.atomic():
        due = Message.objects.filter(send=send, status=MessageStatus.QUEUED).filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
        )
        ids = list(
            due.order_by("pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:BATCH]
        )
        Message.objects.filter(pk__in=ids).update(status=MessageStatus.SENDING)
    return list(Message.objects.filter(pk__in=ids).select_related("send").order_by("pk"))


def _failed(message: Message, error: Exception, now) -> None:
    message.attempts += 1
    message.sent_at = None
    message.last_error = getattr(error, "last_error", str(error))[:300]
    if isinstance(error, TemporaryFailure) and message.attempts < settings.MESSAGING_MAX_ATTEMPTS:
        delay = settings.MESSAGING_RETRY_SECONDS * 2 ** (message.attempts - 1)
        delay = max(delay, error.retry_after or 0)
        message.status = MessageStatus.QUEUED
        message.next_attempt_at = now + datetime.timedelta(seconds=delay)
    elif isinstance(error, PermanentFailure) and error.code == SendError.BAD_ADDRESS:
        message.status = MessageStatus.BOUNCED
    else:
        message.status = MessageStatus.FAILED
    message.save(update_fields=["attempts", "sent_at", "last_error", "status", "next_attempt_at"])


def _hand_over(message: Message, channel, pacer: Pacer, now) -> bool:
    """Check the consent once more, then hand one message over; whether it went."""
    send = message.send
    if (
        send.purpose
        and message.person_id
        and not consent_in_force(
            person_id=message.person_id, purpose=send.purpose, medium=message.medium
        )
    ):
        message.status, message.last_error = MessageStatus.REFUSED, NO_CONSENT
        message.save(update_fields=["status", "last_error"])
        return False
    pacer.wait()

    def handed_over():  # the point of no return: recorded before it is crossed
        Message.objects.filter(pk=message.pk).update(sent_at=timezone.now())

    if hasattr(channel, "on_handover"):
        channel.on_handover = handed_over
    try:
        refs = channel.send(message)
    except (TemporaryFailure, PermanentFailure) as error:
        _failed(message, error, now())
        return False
    except DatabaseError:
        raise  # e.g. SQLite locked: the job runs again from the start, and _recover settles it
    except Exception as error:  # a channel's bug must not stop the whole send
        logger.exception("message %s: channel error", message.key)
        _failed(
            message,
            PermanentFailure(SendError.RELAY_ERROR, detail=repr(error)[:200]),
            now(),
        )
        return False
    message.status = MessageStatus.SENT
    message.attempts += 1
    message.provider_ref = ",".join(str(ref) for ref in refs or [])[:200]
    message.parts = max(len(refs or []), 1)
    message.last_error = ""
    Message.objects.filter(pk=message.pk).update(
        # a receipt may already have said "delivered" (SMS): never step back to "sent"
        status=Case(
            When(status=MessageStatus.SENDING, then=Value(MessageStatus.SENT)),
            default=F("status"),
        ),
        attempts=message.attempts,
        provider_ref=message.provider_ref,
        parts=message.parts,
        last_error="",
        sent_at=Coalesce("sent_at", timezone.now()),
        # An account notice may carry a working secret (a password reset link): once handed
        # over, its text is not kept.
        **({"body": ""} if send.kind == SendKind.ACCOUNT else {}),
    )
    return True


def _defer(job: Job | None, when: datetime.datetime) -> bool:
    """Run the job again at `when` if the task backend can (the database one can)."""
    if job is None or not run_job.get_backend().supports_defer:
        return False
    run_job.using(run_after=when).enqueue(job.pk)
    return True


def send_run(send_id: int, *, job: Job | None = None, now=timezone.now, sleep=time.sleep) -> dict:
    """Hand a send's due messages over until none is left, the send is paused, quiet hours begin
    or only later retries remain. Safe to run again: it goes on where the last run stopped."""
    send = Send.objects.get(pk=send_id)
    if send.status in (SendStatus.PAUSED, SendStatus.CANCELLED, SendStatus.DONE, SendStatus.DRAFT):
        return {"status": send.status}
    # One worker per send: only the run that moves it from queued to running goes on (two jobs
    # started by a double click on "resume" would otherwise both settle and send).
    won = Send.objects.filter(pk=send.pk, status=SendStatus.QUEUED).update(
        status=SendStatus.RUNNING, started_at=Coalesce("started_at", now())
    )
    if not won:
        return {"status": send.status, "outcome": "already_running"}
    recovered = _recover(send)
    channels: dict = {}
    pacers = {
        medium: Pacer(settings.MESSAGING_RATES.get(medium, 10), sleep=sleep)
        for medium in ConsentMedium.values
    }
    outcome = "done"
    try:
        while True:
            status = Send.objects.values_list("status", flat=True).get(pk=send.pk)
            if status != SendStatus.RUNNING:
                outcome = status
                break
            if (until := in_quiet_hours(send, now())) is not None:
                Send.objects.filter(pk=send.pk).update(status=SendStatus.QUEUED)
                _defer(job, until)
                outcome = "quiet_hours"
                break
            batch = _claim(send, now())
            if not batch:
                upcoming = (
                    Message.objects.filter(send=send, status=MessageStatus.QUEUED)
                    .order_by("next_attempt_at")
                    .values_list("next_attempt_at", flat=True)
                    .first()
                )
                if upcoming is None:
                    Send.objects.filter(pk=send.pk, status=SendStatus.RUNNING).update(
                        status=SendStatus.DONE, finished_at=now()
                    )
                    break
                wait = (upcoming - now()).total_seconds()
                if wait > INLINE_WAIT:
                    Send.objects.filter(pk=send.pk).update(status=SendStatus.QUEUED)
                    _defer(job, upcoming)
                    outcome = "retry_later"
                    break
                sleep(max(wait, 0.0))
                continue
            for message in batch:
                if message.medium not in channels:
                    channels[message.medium] = channel_for(message.medium)
                _hand_over(message, channels[message.medium], pacers[message.medium], now)
            send_count(send)
            if job is not None:
                job_progress(job, done=send.done + send.failed + send.refused, total=send.total)
    finally:
        for channel in channels.values():
            channel.close()
    send_count(send)
    return {
        "outcome": outcome,
        "total": send.total,
        "sent": send.done,
        "failed": send.failed,
        "refused": send.refused,
        "recovered": recovered,
    }


@job_handler(JOB_KIND, label=gettext_lazy("Sending messages"))
def _send_job(job: Job) -> dict:
    result = send_run(job.params["send_id"], job=job)
    # the job's page links to the send's, where each recipient's outcome is
    return {**result, "link": reverse("messaging:send", kwargs={"pk": job.params["send_id"]})}
