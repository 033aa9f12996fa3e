"""The door desk: welcome a visitor in seconds, sign them up with consent, never twice.

Every entry carries a key minted by the desk (the form, or later the offline app): sending the same
entry again returns what the first one saved instead of saving it twice. Keys belong to the account
that sent them (abwab.api.idempotency), and the duplicate check shows and lets a volunteer pick only
records in their scope.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.api.idempotency import replay
from abwab.campaigns.models import CheckIn, Event, EventStatus
from abwab.campaigns.tallies import visit_counts_add
from abwab.core.scope import can_add
from abwab.people.duplicates import Candidate, candidates_for, split_by_scope
from abwab.people.models import Membership, MembershipStatus, Person
from abwab.people.services import member_register, person_create
from abwab.people.validation import clean_phone
from abwab.territory.models import Level, Territory

# A device clock a little ahead of the server's is still believed.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def desk_check(actor, event: Event) -> None:
    """Refuse unless the actor keeps this office's desk and the event is open now."""
    if not can_add(actor, CheckIn, path=event.office.territory.path, office_id=event.office_id):
        raise ValidationError(_("You cannot welcome visitors at this office."), code="forbidden")
    if not Event.objects.filter(
        pk=event.pk, status=EventStatus.OPEN
    ).exists():  # as it is now, not as loaded
        raise ValidationError(
            _("The door desk opens only while the event is open."), code="event_not_open"
        )


def desk_communes(event: Event):
    """Where a desk's visitors may live: the communes of the office's province, by name."""
    province_path = "/".join(event.office.territory.path.split("/")[:3]) + "/"
    return Territory.objects.filter(
        path__startswith=province_path, level__gte=Level.COMMUNE
    ).order_by("name_fr")


def desk_candidates(
    actor, fields: dict, territory: Territory
) -> tuple[list[Candidate], list[Candidate]]:
    """The desk's duplicate check: (matches the actor may see and pick, matches outside their
    scope, which are never shown and only send the sign-up to review)."""
    return split_by_scope(actor, candidates_for(fields, territory=territory))


def _plausible_time(at: datetime.datetime | None, event: Event) -> datetime.datetime:
    now = timezone.now()
    if at is None or timezone.is_naive(at):
        return now
    opened = timezone.make_aware(datetime.datetime.combine(event.starts_on, datetime.time.min))
    return min(at, now) if opened <= at <= now + CLOCK_SKEW else now


def checkin_record(
    *,
    actor,
    event: Event,
    client_key: str,
    name: str,
    purpose: str,
    territory: Territory | None = None,
    phone: str = "",
    age_band: str = "",
    gender: str = "",
    at: datetime.datetime | None = None,
) -> tuple[CheckIn, bool]:
    """Welcome a visitor; returns (check-in, created). A repeated client key returns the first one.

    `at` is when the desk recorded the visit (an offline desk syncs later); it is kept only when it
    is plausible: not in the future and not before the event's first day."""
    existing = replay(actor, CheckIn.objects.all(), client_key)
    if existing is not None:
        if existing.event_id != event.pk:
            raise ValidationError(
                _("This entry key was already used elsewhere."), code="key_reused"
            )
        return existing, False
    desk_check(actor, event)
    territory = territory or event.office.territory
    if territory.level < Level.COMMUNE:
        raise ValidationError(
            {"territory": _("Choose a commune or an arrondissement.")}, code="not_a_commune"
        )
    checkin = CheckIn(
        event=event,
        office=event.office,
        territory=territory,
        name=" ".join(name.split()),
        phone=clean_phone(phone),
        age_band=age_band,
        gender=gender.upper(),
        purpose=purpose,
        by=actor,
        client_key=client_key,
        at=_plausible_time(at, event),
    )
    # The related rows were just loaded (and the desk checked): no query to prove they exist.
    checkin.full_clean(exclude=["client_key", "event", "office", "territory", "by"])
    try:
        with transaction.atomic():
            checkin.save()
            visit_counts_add(checkin=checkin)  # the dashboard's visitors per day
    except IntegrityError:
        # The same entry arrived twice at once: the other request saved it.
        return CheckIn.objects.get(by=actor, client_key=client_key), False
    return checkin, True


@transaction.atomic
def door_signup(
    *,
    actor,
    checkin: CheckIn,
    consent_given: bool,
    existing_person: Person | None = None,
    skills=(),
    **person_fields,
) -> Membership:
    """Sign the visitor of a check-in up as a member: the person (new, or the existing one in scope
    the volunteer picked from the duplicate warning), consent, card number. Idempotent per check-in."""
    checkin = (
        CheckIn.objects.select_for_update()
        .select_related("event__office__territory")
        .get(pk=checkin.pk)
    )
    if checkin.person_id:
        done = (
            Membership.objects.filter(person_id=checkin.person_id)
            .exclude(status=MembershipStatus.ENDED)
            .first()
        )
        if done is not None:
            return done
    desk_check(actor, checkin.event)
    if not consent_given:
        raise ValidationError(
            _(
                "A membership needs the person's explicit consent to record their political affiliation."
            ),
            code="consent_required",
        )
    office = checkin.event.office
    if existing_person is not None:
        # Only a record the duplicate warning offered to this actor for what was typed may be
        # picked: one in their scope, so a desk cannot attach itself to any person by id.
        offered, _outside = desk_candidates(actor, person_fields, checkin.territory)
        if existing_person.pk not in {candidate.person.pk for candidate in offered}:
            raise ValidationError(_("This person was not offered as a match."), code="not_offered")
    person = existing_person or person_create(
        actor=actor, territory=checkin.territory, office=office, skills=skills, **person_fields
    )
    membership = member_register(actor=actor, person=person, consent_given=True, office=office)
    checkin.person = person
    checkin.save(update_fields=["person"])
    return membership
