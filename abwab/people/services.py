"""Writes to the people app: persons, memberships with their card numbers, consents, positions, mandates."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode
from abwab.people.keys import person_keys
from abwab.people.models import (
    CardSequence,
    Consent,
    ConsentChannel,
    ConsentPurpose,
    Membership,
    MembershipChange,
    MembershipStatus,
    Person,
    Position,
)
from abwab.people.tallies import member_counts_track
from abwab.people.validation import (
    MEMBERSHIP_MIN_AGE,
    age_on,
    clean_birth_date,
    clean_cin,
    clean_phone,
)
from abwab.territory.models import Body, Level, Office, Territory, path_at_depth

CONSENT_TEXT_VERSION = "2026-1"
PERSON_FIELDS = (
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "gender",
    "birth_date",
    "cin",
    "phone",
    "email",
    "territory",
    "office",
    "education",
    "profession",
    "languages",
)
ALLOWED_CHANGES = {
    MembershipStatus.APPLICANT: {MembershipStatus.ACTIVE, MembershipStatus.ENDED},
    MembershipStatus.ACTIVE: {MembershipStatus.SUSPENDED, MembershipStatus.ENDED},
    MembershipStatus.SUSPENDED: {MembershipStatus.ACTIVE, MembershipStatus.ENDED},
    MembershipStatus.ENDED: {MembershipStatus.ACTIVE},
}


NAME_FIELDS = ("first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin")


def person_fields_clean(person: Person) -> dict[str, list]:
    """Clean a person's CIN, phone, birth date and names in place, as every writer does (the
    register, merges, the door desk); the errors by field, empty when all is well. Reads nothing."""
    errors: dict[str, list] = {}
    for field, cleaner in (
        ("cin", clean_cin),
        ("phone", clean_phone),
        ("birth_date", clean_birth_date),
    ):
        try:
            setattr(person, field, cleaner(getattr(person, field)))
        except ValidationError as error:
            errors[field] = error.error_list
    for field in NAME_FIELDS:
        setattr(person, field, " ".join((getattr(person, field) or "").split()))
    if not any(getattr(person, field) for field in NAME_FIELDS):
        errors["first_name_ar"] = [
            ValidationError(
                _("Give the name in Arabic or in Latin letters."), code=ErrorCode.NO_NAME
            )
        ]
    return errors


def _clean_person(person: Person) -> None:
    errors = person_fields_clean(person)
    if person.territory_id and person.territory.level < Level.COMMUNE:
        errors["territory"] = [
            ValidationError(
                _("Choose a commune or an arrondissement."), code=ErrorCode.NOT_A_COMMUNE
            )
        ]
    if errors:
        raise ValidationError(errors)
    person.key_first, person.key_last, person.key_full = person_keys(
        person.first_name_ar, person.last_name_ar, person.first_name_latin, person.last_name_latin
    )
    person.full_clean()


@transaction.atomic
def person_create(*, actor, territory: Territory, skills=(), **fields) -> Person:
    """Record a new person after cleaning every identifier; nothing is saved when one is invalid."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    person = Person(territory=territory, created_by=actor if actor and actor.pk else None, **fields)
    _clean_person(person)
    person.save()
    if skills:
        person.skills.set(skills)
    return person


@transaction.atomic
def person_update(*, actor, person: Person, skills=None, **fields) -> Person:
    """Change a person's fields (rectification), with the same cleaning as creation."""
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"unknown person fields: {sorted(unknown)}")
    with member_counts_track(person_ids=[person.pk]):  # gender, birth year, education, skills
        for field, value in fields.items():
            setattr(person, field, value)
        _clean_person(person)
        person.save()
        if skills is not None:
            person.skills.set(skills)
    return person


def region_of(territory: Territory) -> Territory:
    """The region above a node (the path's second segment)."""
    return Territory.objects.get(path=path_at_depth(territory.path, Level.REGION))


def card_number_allocate(*, region: Territory, year: int) -> str:
    """The next card number of a region and year, e.g. 03-2026-000042; gapless, never reused.

    Must run inside the sign-up transaction: the counter row stays locked until it commits, so
    concurrent sign-ups queue instead of colliding, and a rolled-back sign-up gives its number back.
    """
    CardSequence.objects.bulk_create(
        [CardSequence(region=region, year=year)], ignore_conflicts=True
    )
    sequence = CardSequence.objects.select_for_update().get(region=region, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{region.code}-{year}-{sequence.last:06d}"


@transaction.atomic
def consent_record(
    *, actor, person: Person, purpose: str, channel: str, text_version: str = CONSENT_TEXT_VERSION
) -> Consent:
    """Record an explicit consent with the version of the text the person was shown."""
    consent = Consent(
        person=person,
        purpose=purpose,
        channel=channel,
        text_version=text_version,
        collected_by=actor,
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def member_register(
    *,
    actor,
    person: Person,
    consent_given: bool,
    channel: str = ConsentChannel.DOOR,
    office: Office | None = None,
    territory: Territory | None = None,
    recruited_by: Person | None = None,
    joined_on: datetime.date | None = None,
    status: str = MembershipStatus.ACTIVE,
) -> Membership:
    """Make a person a member: consent first (law 09-08), then a card number, all or nothing."""
    if not consent_given:
        raise ValidationError(
            _(
                "A membership needs the person's explicit consent to record their political affiliation."
            ),
            code=ErrorCode.CONSENT_REQUIRED,
        )
    current = (
        Membership.objects.filter(person=person).exclude(status=MembershipStatus.ENDED).first()
    )
    if current is not None:
        raise ValidationError(
            _("This person is already a member (card %(card)s).") % {"card": current.card_number},
            code=ErrorCode.ALREADY_MEMBER,
        )
    joined_on = joined_on or timezone.localdate()
    if person.birth_date and age_on(person.birth_date, joined_on) < MEMBERSHIP_MIN_AGE:
        raise ValidationError(
            _("A member must be at least %(age)d years old.") % {"age": MEMBERSHIP_MIN_AGE},
            code=ErrorCode.TOO_YOUNG,
        )
    territory = territory or (office.territory if office else person.territory)
    consent = consent_record(
        actor=actor, person=person, purpose=ConsentPurpose.MEMBERSHIP, channel=channel
    )
    membership = Membership(
        person=person,
        status=status,
        territory=territory,
        office=office,
        joined_on=joined_on,
        consent=consent,
        recruited_by=recruited_by,
        card_number=card_number_allocate(region=region_of(territory), year=joined_on.year),
    )
    membership.full_clean()
    with member_counts_track(person_ids=[person.pk]):
        membership.save()
    MembershipChange.objects.create(
        membership=membership, to_status=status, by=actor, reason=_("Joined")
    )
    return membership


@transaction.atomic
def membership_change_status(
    *, actor, membership: Membership, to_status: str, reason: str = ""
) -> Membership:
    """Move a membership to another status, keeping the dated history."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if to_status not in ALLOWED_CHANGES[membership.status]:
        raise ValidationError(
            _("A membership cannot go from %(from)s to %(to)s.")
            % {
                "from": MembershipStatus(membership.status).label,
                "to": MembershipStatus(to_status).label,
            },
            code=ErrorCode.INVALID_TRANSITION,
        )
    if to_status == MembershipStatus.ACTIVE and not membership.consent.in_force:
        raise ValidationError(
            _("The member withdrew their consent; record a new one first."),
            code=ErrorCode.CONSENT_WITHDRAWN,
        )
    return membership_set_status(
        actor=actor, membership=membership, to_status=to_status, reason=reason
    )


def membership_set_status(
    *, actor, membership: Membership, to_status: str, reason: str
) -> Membership:
    """Write a status and its history row, with no transition check (for checked callers and undo)."""
    MembershipChange.objects.create(
        membership=membership,
        from_status=membership.status,
        to_status=to_status,
        by=actor,
        reason=reason,
    )
    with member_counts_track(person_ids=[membership.person_id]):
        membership.status = to_status
        membership.save(update_fields=["status"])
    return membership


@transaction.atomic
def consent_withdraw(*, actor, consent: Consent) -> Consent:
    """Record a withdrawal; withdrawing the membership consent ends the membership."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        return consent
    consent.withdrawn_at, consent.withdrawn_by = timezone.now(), actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
    membership = (
        Membership.objects.filter(consent=consent).exclude(status=MembershipStatus.ENDED).first()
    )
    if membership is not None:
        membership_change_status(
            actor=actor,
            membership=membership,
            to_status=MembershipStatus.ENDED,
            reason=_("Consent withdrawn"),
        )
    return consent


@transaction.atomic
def consent_withdraw_by_phone(*, phone: str, medium: str, via: str) -> int:
    """Withdraw at once every consent in force on `medium` of the persons reached at `phone` (an
    SMS "STOP" from that number); returns how many were withdrawn."""
    phone = clean_phone(phone)
    if not phone:
        return 0
    return Consent.objects.filter(
        person__phone=phone, medium=medium, withdrawn_at__isnull=True
    ).update(withdrawn_at=timezone.now(), withdrawn_by=None, withdrawn_via=via[:30])


def position_assign(
    *,
    person: Person,
    body: Body,
    function: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> Position:
    """Give a person a dated function in a body, as the system (no actor to check); the same rules
    as an appointment from the screen (see officials.services.position_appoint)."""
    from abwab.people.officials.services import position_appoint

    return position_appoint(
        actor=None,
        person=person,
        body=body,
        function=function,
        starts_on=starts_on,
        ends_on=ends_on,
    )
