"""Pre-registrations: a citizen announces a visit on the public pages; the desk finds them when they
come in, in one tap or by scanning the receipt's QR code.

Nothing typed publicly becomes a member here. Arriving records the visit through the one door
service (`checkin_record`, keyed by the receipt number) and links it to the pre-registration, once:
the row is locked, so a double tap, a second scan or two volunteers at once find the visit already
recorded and get it back. A visitor who asked to join is then signed up by a volunteer through the
desk's own sign-up (`door_signup_entry`), which completes that check-in instead of adding one.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.campaigns.door import checkin_record, desk_check
from abwab.campaigns.door_entries import OnDuplicate, SignupOutcome, door_signup_entry
from abwab.campaigns.models import (
    CheckIn,
    Event,
    PreRegistration,
    PreRegistrationStatus,
    Purpose,
)
from abwab.core.errors import ErrorCode
from abwab.territory.models import Level, Territory
from abwab.territory.paths import province_path

# What a scanner or the camera reads: the bare number, or the receipt page's address ending in it.
_RECEIPT_URL = re.compile(r"/receipt/([^/?#\s]+)/?(?:[?#].*)?$")
_CODE = re.compile(r"^[A-Za-z0-9-]{4,16}$")


def receipt_code(raw: str) -> str:
    """The receipt number in what was typed or scanned (a URL `…/receipt/<code>/` or the code),
    or "" when it cannot be one. Lookups ignore case: a number read aloud and typed is no worse."""
    text = (raw or "").strip()
    found = _RECEIPT_URL.search(text)
    if found:
        text = found.group(1)
    text = text.replace(" ", "")
    return text if _CODE.match(text) else ""


def _with_code(queryset: QuerySet, code: str) -> QuerySet:
    """The rows whose receipt number is `code`, however it was typed: any case, with or without
    its dashes (a number read aloud, or copied from a screenshot)."""
    bare = code.replace("-", "").upper()
    return queryset.annotate(bare_code=Replace(Upper("code"), Value("-"), Value(""))).filter(
        bare_code=bare
    )


def checkin_key(code: str) -> str:
    """The door entry key of a pre-registration's visit: the same for every tap and scan of it."""
    return f"prereg-{code}"


def _not_found() -> ValidationError:
    # One answer for an unknown number, another event's and another territory's: the desk learns
    # nothing of what it may not see.
    return ValidationError(
        _("No pre-registration with this receipt number for this event."),
        code=ErrorCode.NOT_FOUND,
    )


def event_days(event: Event) -> list[datetime.date]:
    """The days a citizen may say they will come."""
    days = (event.ends_on - event.starts_on).days + 1
    return [event.starts_on + datetime.timedelta(days=n) for n in range(max(days, 1))]


@transaction.atomic
def prereg_create(
    *,
    event: Event,
    territory: Territory,
    name: str,
    phone: str,
    purpose: str,
    wants_to_join: bool,
    note: str,
    expected_on: datetime.date | None,
    consent_version: str,
    code: str,
    consent_at: datetime.datetime | None = None,
) -> PreRegistration:
    """Record an announced visit (the receipt number is the public submission's). Refuses internal
    events, days outside the event and communes outside the office's province."""
    errors = {}
    if not event.public:
        errors["event"] = ValidationError(
            _("This event does not take pre-registrations."), code=ErrorCode.NOT_FOUND
        )
    if expected_on is not None and expected_on not in event_days(event):
        errors["expected_on"] = ValidationError(
            _("Choose one of the event's days."), code=ErrorCode.INVALID_DATE
        )
    if territory.level < Level.COMMUNE or province_path(territory.path) != province_path(
        event.office.territory.path
    ):
        errors["territory"] = ValidationError(
            _("Choose a commune of the office's province."), code=ErrorCode.NOT_A_COMMUNE
        )
    if errors:
        raise ValidationError(errors)
    prereg = PreRegistration(
        event=event,
        territory=territory,
        name=" ".join((name or "").split()),
        phone=phone,
        purpose=purpose,
        wants_to_join=wants_to_join or purpose == Purpose.MEMBERSHIP,
        note=(note or "").strip(),
        expected_on=expected_on,
        consent_at=consent_at or timezone.now(),
        consent_version=consent_version,
        code=code,
    )
    prereg.full_clean()
    prereg.save(force_insert=True)
    return prereg


def prereg_expected(*, actor, event: Event, query: str = "") -> QuerySet:
    """The desk's list: pre-registrations still expected at this event (today's and those without a
    day; with a search, any day's by name, phone or number). Empty for whoever may not keep the
    desk."""
    try:
        desk_check(actor, event)
    except ValidationError:
        return PreRegistration.objects.none()
    found = PreRegistration.objects.filter(
        event=event, status=PreRegistrationStatus.EXPECTED
    ).select_related("territory")
    query = " ".join(query.split())[:100]
    if not query:
        today = timezone.localdate()
        return found.filter(Q(expected_on=today) | Q(expected_on=None))
    digits = re.sub(r"\D", "", query)
    match = Q(name__icontains=query)
    if code := receipt_code(query):
        match |= Q(pk__in=_with_code(found, code).values("pk"))
    if len(digits) >= 4:
        # Typed as 06…: the stored number reads +2126…
        match |= Q(phone__contains=digits.lstrip("0"))
    return found.filter(match)


def _locked(event: Event, code: str) -> PreRegistration:
    code = receipt_code(code)
    prereg = (
        _with_code(
            PreRegistration.objects.select_for_update(of=("self",)).filter(event=event), code
        )
        # Nothing joined to the row: under READ COMMITTED a locked row read after a wait is the
        # latest, but rows joined to it would come from before the wait (a check-in made meanwhile
        # would be missing).
        .select_related("territory")
        .first()
        if code
        else None
    )
    if prereg is None:
        raise _not_found()
    return prereg


@transaction.atomic
def prereg_arrive(*, actor, event: Event, code: str) -> CheckIn:
    """The visitor of this receipt has come in: record their visit through the door service and link
    it, once. A second tap or scan, by anyone at the desk, returns the same check-in."""
    desk_check(actor, event)
    prereg = _locked(event, code)
    if prereg.checkin_id is not None:
        return CheckIn.objects.get(pk=prereg.checkin_id)
    if prereg.status == PreRegistrationStatus.CANCELLED:
        raise ValidationError(_("This pre-registration was cancelled."), code=ErrorCode.CANCELLED)
    checkin, _created = checkin_record(
        actor=actor,
        event=event,
        client_key=checkin_key(prereg.code),
        name=prereg.name,
        purpose=prereg.purpose,
        territory=prereg.territory,
        phone=prereg.phone,
    )
    prereg.checkin = checkin
    prereg.status = PreRegistrationStatus.ARRIVED
    prereg.arrived_at = timezone.now()
    prereg.arrived_by = actor
    prereg.save(update_fields=["checkin", "status", "arrived_at", "arrived_by"])
    return checkin


def prereg_for_desk(*, actor, event: Event, code: str) -> PreRegistration:
    """A pre-registration of this event as the desk may open it (to prefill a sign-up)."""
    desk_check(actor, event)
    code = receipt_code(code)
    prereg = (
        _with_code(PreRegistration.objects.filter(event=event), code)
        .select_related("territory")
        .first()
        if code
        else None
    )
    if prereg is None:
        raise _not_found()
    return prereg


def prereg_signup(
    *,
    actor,
    event: Event,
    code: str,
    checkin: dict,
    person: dict,
    consent_given: bool,
    existing_person_id: int | None = None,
    on_duplicate: str = OnDuplicate.ASK,
) -> SignupOutcome:
    """Sign up the visitor of a pre-registration through the desk's one sign-up path, completing the
    check-in their arrival recorded (whoever tapped "Arrived") instead of adding one. The arrival
    commits first, so a refused or questioned sign-up still leaves the visit counted; the sign-up
    then runs with the pre-registration's row locked, so two volunteers cannot make two members."""
    prereg_arrive(actor=actor, event=event, code=code)
    with transaction.atomic():
        visit = prereg_arrive(actor=actor, event=event, code=code)  # locked until commit
        return door_signup_entry(
            actor=actor,
            event=event,
            client_key=visit.client_key,
            checkin=checkin,
            person=person,
            consent_given=consent_given,
            visit=visit,
            existing_person_id=existing_person_id,
            on_duplicate=on_duplicate,
        )
