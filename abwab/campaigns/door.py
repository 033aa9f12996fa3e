"""The door desk: welcome a visitor in seconds, sign them up with consent, never twice.

The one door service: the web desk, `POST …/checkins`, `POST …/signups` and `POST …/sync` all call
it (sign-ups through `door_entries.door_signup_entry`). Every entry carries a key minted by the desk
(the form, or the offline app): sending the same entry again returns what the first one saved
instead of saving it twice. Keys belong to the account that sent them (abwab.api.idempotency), and
the duplicate check shows and lets a volunteer pick only records in their scope.

The door is the one path that must be cheap on the national day, so its writes are planned
statement by statement: the rows it needs are read once (the event with its office, the region and
province of the visitor's commune in one query), each row is inserted once with what the desk
already checked (no `full_clean` re-reading foreign keys), the card number comes from one upsert
returning it, and each count table gets one upsert.
"""

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Subquery
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.api.idempotency import replay
from abwab.campaigns.models import AgeBand, CheckIn, Event, EventStatus, Purpose
from abwab.campaigns.tallies import VISIT_TABLE
from abwab.core.errors import ErrorCode
from abwab.core.prepared import Prepared
from abwab.core.scope import can_add, grants, visible_to
from abwab.people.duplicates import Candidate, candidates_for, split_by_scope
from abwab.people.keys import person_keys
from abwab.people.models import (
    CardSequence,
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Gender,
    Membership,
    MembershipChange,
    MembershipStatus,
    Person,
)
from abwab.people.services import (
    CONSENT_TEXT_VERSION,
    NAME_FIELDS,
    member_register,
    person_create,
    person_fields_clean,
)
from abwab.people.tallies import JOIN_TABLE, MEMBER_TABLE, Counts, _count_member
from abwab.people.validation import (
    MEMBERSHIP_MIN_AGE,
    age_on,
    clean_phone,
)
from abwab.territory import tallies
from abwab.territory.models import Level, Territory, path_at_depth

# A device clock a little ahead of the server's is still believed.
CLOCK_SKEW = datetime.timedelta(minutes=5)


def consent_check(consent_given: bool) -> None:
    """The one consent rule of the door (law 09-08): no membership without explicit consent."""
    if not consent_given:
        raise ValidationError(
            _(
                "A membership needs the person's explicit consent to record their political affiliation."
            ),
            code=ErrorCode.CONSENT_REQUIRED,
        )


def desk_check(actor, event: Event) -> None:
    """Refuse unless the actor keeps this office's desk and the event is open (as loaded in this
    request: the desk's callers load it through the scope gate at the start of each request)."""
    if not can_add(actor, CheckIn, path=event.office.territory.path, office_id=event.office_id):
        raise ValidationError(
            _("You cannot welcome visitors at this office."), code=ErrorCode.FORBIDDEN
        )
    if (
        event.status != EventStatus.OPEN
        # An event object kept from before it opened (a service caller's) is read again.
        and not Event.objects.filter(pk=event.pk, status=EventStatus.OPEN).exists()
    ):
        raise ValidationError(
            _("The door desk opens only while the event is open."), code=ErrorCode.EVENT_NOT_OPEN
        )


_path_at = path_at_depth  # the tree arithmetic lives on the territory model


def desk_communes(event: Event, *, language: str | None = None):
    """Where a desk's visitors may live: the communes of the office's province, by their name in
    the page's language (Arabic names in Arabic, French ones in French)."""
    from django.utils.translation import get_language

    province = _path_at(event.office.territory.path, Level.PROVINCE)
    name = "name_ar" if (language or get_language() or "ar").startswith("ar") else "name_fr"
    return Territory.objects.filter(path__startswith=province, level__gte=Level.COMMUNE).order_by(
        name, "pk"
    )


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


def _ancestors(territory: Territory, event: Event | None = None) -> dict[int, tuple[int, str]]:
    """{depth: (pk, code)} of the commune's region and province: read from the event's office
    when it lies in the same province and was loaded with its ancestors, else one query."""
    wanted = {depth: _path_at(territory.path, depth) for depth in (Level.REGION, Level.PROVINCE)}
    node = event.office.territory if event is not None else None
    known = {}
    while node is not None and "parent" in node._state.fields_cache:
        known[node.path] = (node.pk, node.code)
        node = node.parent
    if node is not None:
        known[node.path] = (node.pk, node.code)
    if all(path in known for path in wanted.values()):
        return {depth: known[path] for depth, path in wanted.items()}
    found = {
        path: (pk, code)
        for path, pk, code in Territory.objects.filter(path__in=wanted.values())
        .values_list("path", "pk", "code")
        .order_by()
    }
    return {depth: found[path] for depth, path in wanted.items()}


def _visit(
    *,
    actor,
    event: Event,
    client_key: str,
    name: str,
    purpose: str,
    territory: Territory | None,
    phone: str,
    age_band: str,
    gender: str,
    at: datetime.datetime | None,
    person: Person | None = None,
) -> CheckIn:
    """A check-in row checked field by field, without reading anything (the desk loaded the
    event, its office and the commune)."""
    territory = territory or event.office.territory
    errors = {}
    if territory.level < Level.COMMUNE:
        errors["territory"] = ValidationError(
            _("Choose a commune or an arrondissement."), code=ErrorCode.NOT_A_COMMUNE
        )
    name = " ".join((name or "").split())
    if not name or len(name) > CheckIn._meta.get_field("name").max_length:  # as full_clean
        errors["name"] = ValidationError(_("Give the visitor's name."), code=ErrorCode.NO_NAME)
    gender = (gender or "").upper()
    for field, value, allowed in (
        ("purpose", purpose, Purpose.values),
        ("age_band", age_band, ["", *AgeBand.values]),
        ("gender", gender, ["", *Gender.values]),
    ):
        if value not in allowed:
            errors[field] = ValidationError(
                _("Choose one of the listed values."), code=ErrorCode.INVALID
            )
    try:
        phone = clean_phone(phone)
    except ValidationError as error:
        errors["phone"] = error
    if errors:
        raise ValidationError(errors)
    return CheckIn(
        event=event,
        office=event.office,
        territory=territory,
        name=name,
        phone=phone,
        age_band=age_band or "",
        gender=gender,
        purpose=purpose,
        person=person,
        by=actor,
        client_key=client_key,
        at=_plausible_time(at, event),
    )


def _count_visit(checkin: CheckIn, province_id: int) -> None:
    """The dashboard's visitors per day: one upsert (the province is known)."""
    counts = Counter({(checkin.territory_id, timezone.localdate(checkin.at)): 1})
    rows = tallies.rollup_rows(counts, {}, province={checkin.territory_id: province_id})
    tallies.upsert(VISIT_TABLE, rows)


def _visit_insert(checkin: CheckIn, province_id: int) -> None:
    """Insert a check-in and count it, together: the visit counts are exact at every commit (a
    worker killed or a database restarted between the two would otherwise leave a visit
    uncounted). Inside a caller's transaction this is a savepoint, so a repeated key undoes only
    these two; alone, it costs a BEGIN and a COMMIT, which the query-count tests include."""
    with transaction.atomic():
        checkin.save(force_insert=True)
        _count_visit(checkin, province_id)


def desk_events(actor, client_key: str = ""):
    """Events as a desk loads them (through the scope gate): with the office and its territory,
    and, given an entry's key, the id of the check-in this account already stored under it, so the
    key's lookup rides on the event's query."""
    # The office's territory with its ancestors up to the region, by primary key in the same
    # query: the province (for the counts) and the region (for the card number) read nothing more.
    events = Event.objects.select_related(
        "campaign", "office__territory__parent__parent__parent__parent"
    )
    if client_key and actor.is_authenticated:
        stored = CheckIn.objects.filter(by=actor, client_key=client_key).values("pk")[:1]
        events = events.annotate(replayed_id=Subquery(stored))
    return events


def _gated_events(actor, *, pk: int, actor_id: int | None = None, client_key: str = ""):
    events = desk_events(actor)
    if actor_id is not None:  # the entry key's lookup, as desk_events adds it
        stored = CheckIn.objects.filter(by_id=actor_id, client_key=client_key).values("pk")[:1]
        events = events.annotate(replayed_id=Subquery(stored))
    return visible_to(actor, events.filter(pk=pk))


# The desk's event query, compiled once per set of grants (its joins and the gate's conditions
# cost more to compile than to run); the gate's conditions are the grants', so an account whose
# grants change gets another query at once.
_EVENT_MARKERS = {"pk": -7_000_001}
_KEY_MARKERS = {"actor_id": -7_000_002, "client_key": "~entry key marker~"}
_desk_event = Prepared(_gated_events, shape=lambda actor: grants(actor), **_EVENT_MARKERS)
_desk_event_keyed = Prepared(
    _gated_events, shape=lambda actor: grants(actor), **_EVENT_MARKERS, **_KEY_MARKERS
)
BIGINT = 2**63


def desk_event(actor, event_id: int, client_key: str = "") -> Event:
    """The event a desk posts to, loaded as `desk_events` loads it (with the entry key's lookup
    when a key is given) through the scope gate: 404 when missing or out of the actor's scope, as
    `get_visible_or_404` answers."""
    if not isinstance(event_id, int) or not -BIGINT <= event_id < BIGINT:
        raise Http404
    if client_key and actor.is_authenticated:
        rows = _desk_event_keyed(actor, pk=event_id, actor_id=actor.pk, client_key=client_key)
    else:
        rows = _desk_event(actor, pk=event_id)
    if not rows:
        raise Http404
    return rows[0]


_CODE_MARKER = "~territory code marker~"
_visible_territory = Prepared(
    lambda actor, *, code: visible_to(actor, Territory.objects.filter(code=code)),
    shape=lambda actor: grants(actor),
    code=_CODE_MARKER,
)
_province_commune = Prepared(
    lambda province, *, code: Territory.objects.filter(
        path__startswith=province, level__gte=Level.COMMUNE, code=code
    ),
    shape=lambda province: province,
    code=_CODE_MARKER,
)


def desk_territory(actor, code: str) -> Territory:
    """The territory an entry names by its HCP code, through the scope gate (404 when missing or
    out of scope, as `get_visible_or_404` answers), compiled once per set of grants."""
    rows = _visible_territory(actor, code=code)
    if not rows:
        raise Http404
    return rows[0]


def desk_commune_of(event: Event, code: str) -> Territory | None:
    """The commune of this code among those the desk offers (`desk_communes`), or None."""
    rows = _province_commune(_path_at(event.office.territory.path, Level.PROVINCE), code=code)
    return rows[0] if rows else None


def _replayed(actor, event: Event, client_key: str) -> CheckIn | None:
    """The one key rule of the door: what this account already stored under this key, for this
    event (a key sent for another event is refused)."""
    if getattr(event, "replayed_id", 0) is None:
        return None  # the event was loaded with the key's lookup, which found nothing
    existing = replay(actor, CheckIn.objects.all(), client_key)
    if existing is not None and existing.event_id != event.pk:
        raise ValidationError(
            _("This entry key was already used elsewhere."), code=ErrorCode.KEY_REUSED
        )
    return existing


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
    is plausible: not in the future and not before the event's first day. The insert comes first:
    a repeated key is found by its unique constraint, so a new visit reads nothing."""
    try:
        desk_check(actor, event)
        checkin = _visit(
            actor=actor,
            event=event,
            client_key=client_key,
            name=name,
            purpose=purpose,
            territory=territory,
            phone=phone,
            age_band=age_band,
            gender=gender,
            at=at,
        )
    except ValidationError:
        # What was sent again answers as the first time, even if this copy reads worse.
        existing = _replayed(actor, event, client_key)
        if existing is None:
            raise
        return existing, False
    province_id = _ancestors(checkin.territory, event)[Level.PROVINCE][0]
    try:
        _visit_insert(checkin, province_id)
    except IntegrityError:
        # Sent before (or twice at once): the first one stands.
        existing = _replayed(actor, event, client_key)
        if existing is None:
            raise
        return existing, False
    return checkin, True


def person_prepare(*, actor, territory: Territory, **fields) -> Person:
    """A new person from a desk's fields, each identifier cleaned as `person_create` cleans it,
    without reading anything: the unique CIN is the database's to enforce."""
    person = Person(territory=territory, created_by=actor if actor and actor.pk else None, **fields)
    errors = {}
    if isinstance(person.birth_date, str):  # a caller's ISO text, as the API's schema reads it
        try:
            person.birth_date = datetime.date.fromisoformat(person.birth_date)
        except ValueError:
            errors["birth_date"] = [
                ValidationError(_("Enter a valid date."), code=ErrorCode.INVALID)
            ]
            person.birth_date = None
    errors.update(person_fields_clean(person))
    if person.gender and person.gender not in Gender.values:
        errors["gender"] = [
            ValidationError(_("Choose one of the listed values."), code=ErrorCode.INVALID)
        ]
    if errors:
        raise ValidationError(errors)
    person.key_first, person.key_last, person.key_full = person_keys(
        *(getattr(person, field) for field in NAME_FIELDS)
    )
    return person


def _card_number(region: tuple[int, str], year: int) -> str:
    """The region's next card number, gapless: one upsert that returns it, its row locked until
    the sign-up commits (a rolled-back sign-up gives its number back)."""
    table = CardSequence._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(  # only the model's own table name is interpolated
            f"INSERT INTO {table} (region_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (region_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [region[0], year],
        )
        (last,) = cursor.fetchone()
    return f"{region[1]}-{year}-{last:06d}"


def member_write(
    *, actor, person: Person, checkin: CheckIn, places: dict, new_person: bool
) -> Membership:
    """Write a door sign-up: the person when new, the consent, the membership with its card
    number and first status, the check-in, and the counts (one upsert per table). Runs inside the
    caller's transaction; everything it needs was read and checked before."""
    joined_on = timezone.localdate()
    if person.birth_date and age_on(person.birth_date, joined_on) < MEMBERSHIP_MIN_AGE:
        raise ValidationError(
            _("A member must be at least %(age)d years old.") % {"age": MEMBERSHIP_MIN_AGE},
            code=ErrorCode.TOO_YOUNG,
        )
    office = checkin.event.office
    if new_person:
        person.save(force_insert=True)  # a CIN already recorded fails here: the caller says so
    consent = Consent.objects.create(
        person=person,
        purpose=ConsentPurpose.MEMBERSHIP,
        channel=ConsentChannel.DOOR,
        text_version=CONSENT_TEXT_VERSION,
        collected_by=actor,
    )
    membership = Membership(
        person=person,
        status=MembershipStatus.ACTIVE,
        territory=office.territory,
        office=office,
        joined_on=joined_on,
        consent=consent,
        card_number=_card_number(places[Level.REGION], joined_on.year),
    )
    membership.save(force_insert=True)
    MembershipChange.objects.create(
        membership=membership, to_status=membership.status, by=actor, reason=_("Joined")
    )
    checkin.person = person
    if checkin.pk is None:
        checkin.save(force_insert=True)
        _count_visit(checkin, places[Level.PROVINCE][0])
    else:
        CheckIn.objects.filter(pk=checkin.pk).update(person=person)
    counts = Counts()
    _count_member(
        counts,
        office.territory_id,
        None,
        joined_on,
        person.gender,
        person.birth_date,
        person.education,
        # A person new at the door has no skills yet; a known one may.
        not new_person and person.skills.exists(),
    )
    member_province = (
        places[Level.PROVINCE][0]
        if _path_at(office.territory.path, Level.PROVINCE)
        == _path_at(checkin.territory.path, Level.PROVINCE)
        else _ancestors(office.territory, checkin.event)[Level.PROVINCE][0]
    )
    province = {office.territory_id: member_province}
    tallies.upsert(MEMBER_TABLE, tallies.rollup_rows(counts.tallies, {}, province=province))
    tallies.upsert(JOIN_TABLE, tallies.rollup_rows(counts.joins, {}, province=province))
    return membership


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
    """Sign the visitor of an earlier check-in up as a member: the person (new, or the existing one
    in scope the volunteer picked from the duplicate warning), consent, card number. Idempotent per
    check-in."""
    checkin = (
        CheckIn.objects.select_for_update()
        .select_related("event__office__territory", "territory")
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
    consent_check(consent_given)
    office = checkin.event.office
    if existing_person is not None:
        # Only a record the duplicate warning offered to this actor for what was typed may be
        # picked: one in their scope, so a desk cannot attach itself to any person by id.
        offered, _outside = desk_candidates(actor, person_fields, checkin.territory)
        if existing_person.pk not in {candidate.person.pk for candidate in offered}:
            raise ValidationError(
                _("This person was not offered as a match."), code=ErrorCode.NOT_OFFERED
            )
    person = existing_person or person_create(
        actor=actor, territory=checkin.territory, office=office, skills=skills, **person_fields
    )
    membership = member_register(actor=actor, person=person, consent_given=True, office=office)
    checkin.person = person
    checkin.save(update_fields=["person"])
    return membership
