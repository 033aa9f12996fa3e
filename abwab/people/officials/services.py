"""Writes: appointing a person to a position in a body, ending a term; entering and ending a mandate.

An actor of None is the system (a body's founding, tests); any other actor must be allowed by the
scope gate to change the body (or add a mandate at the territory) and to change the person.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode
from abwab.core.scope import CHANGE, can, can_add
from abwab.people.models import FUNCTION_RANK, Mandate, Person, Position
from abwab.people.officials import rules
from abwab.territory.models import Body, Territory


def _overlapping(queryset, starts_on: datetime.date, ends_on: datetime.date | None):
    """Terms in `queryset` that share at least one day with [starts_on, ends_on]."""
    queryset = queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    return queryset.filter(starts_on__lte=ends_on) if ends_on else queryset


def _require_person(actor, person: Person) -> None:
    if person.merged_into_id or person.anonymised_at:
        raise ValidationError(_("This person's record is closed."), code=ErrorCode.CLOSED_PERSON)
    if actor is not None and not can(actor, CHANGE, person):
        raise ValidationError(_("You cannot name this person."), code=ErrorCode.FORBIDDEN)


@transaction.atomic
def position_appoint(
    *,
    actor,
    person: Person,
    body: Body,
    function: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> Position:
    """Give a person a dated function in a body; refuse a term that overlaps the same person's in the
    same function, or another holder's in a function the body's kind gives to one person."""
    if actor is not None and not can(actor, CHANGE, body):
        raise ValidationError(_("You cannot appoint in this body."), code=ErrorCode.FORBIDDEN)
    _require_person(actor, person)
    Body.objects.select_for_update().filter(pk=body.pk).first()  # one appointment at a time
    position = Position(
        person=person,
        body=body,
        function=function,
        rank=FUNCTION_RANK.get(function, len(FUNCTION_RANK)),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    position.full_clean()
    terms = _overlapping(Position.objects.filter(body=body, function=function), starts_on, ends_on)
    if terms.filter(person=person).exists():
        raise ValidationError(
            _("This person already holds this function in this body at these dates."),
            code=ErrorCode.ALREADY_HOLDS,
        )
    if rules.is_single(body.kind, function):
        holder = terms.select_related("person").first()
        if holder is not None:
            raise ValidationError(
                _("%(person)s holds this function from %(day)s: end that term first.")
                % {"person": holder.person, "day": holder.starts_on.strftime("%d/%m/%Y")},
                code=ErrorCode.TAKEN,
            )
    position.save()
    return position


@transaction.atomic
def position_end(*, actor, position: Position, ends_on: datetime.date | None = None) -> Position:
    """End a term on a day (today by default); a term already over stays as it was."""
    if actor is not None and not can(actor, CHANGE, position):
        raise ValidationError(_("You cannot change this position."), code=ErrorCode.FORBIDDEN)
    return _end(position, ends_on)


def _end(term, ends_on: datetime.date | None):
    today = timezone.localdate()
    ends_on = ends_on or today
    if term.ends_on is not None and term.ends_on < today:
        raise ValidationError(_("This term has already ended."), code=ErrorCode.ENDED)
    if ends_on < term.starts_on:
        raise ValidationError(
            {"ends_on": _("A term cannot end before it starts.")}, code=ErrorCode.ENDS_BEFORE_START
        )
    term.ends_on = ends_on
    term.full_clean()
    term.save(update_fields=["ends_on"])
    return term


@transaction.atomic
def mandate_enter(
    *,
    actor,
    person: Person,
    institution: str,
    role: str,
    territory: Territory,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> Mandate:
    """Record an elected mandate with its institution and the territory it represents; refuse a
    seat at the wrong level of the tree, a role the institution lacks, and overlapping terms."""
    if actor is not None and not can_add(actor, Mandate, path=territory.path):
        raise ValidationError(_("You cannot record a mandate there."), code=ErrorCode.FORBIDDEN)
    _require_person(actor, person)
    mandate = Mandate(
        person=person,
        institution=institution,
        role=role,
        territory=territory,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    mandate.full_clean()
    if territory.level not in rules.INSTITUTION_LEVELS[institution]:
        raise ValidationError(
            {"territory": _("This institution has no seat at this level of the territory.")},
            code=ErrorCode.WRONG_LEVEL,
        )
    if role not in rules.INSTITUTION_ROLES[institution]:
        raise ValidationError(
            {"role": _("This institution has no such role.")}, code=ErrorCode.WRONG_ROLE
        )
    Territory.objects.select_for_update().filter(pk=territory.pk).first()
    terms = _overlapping(
        Mandate.objects.filter(institution=institution, territory=territory, role=role),
        starts_on,
        ends_on,
    )
    if terms.filter(person=person).exists():
        raise ValidationError(
            _("This person already holds this mandate at these dates."),
            code=ErrorCode.ALREADY_HOLDS,
        )
    if role in rules.SINGLE_ROLES and terms.exists():
        raise ValidationError(
            _("Someone holds this mandate at these dates: end that term first."),
            code=ErrorCode.TAKEN,
        )
    mandate.save()
    return mandate


@transaction.atomic
def mandate_end(*, actor, mandate: Mandate, ends_on: datetime.date | None = None) -> Mandate:
    """End a mandate on a day (today by default)."""
    if actor is not None and not can(actor, CHANGE, mandate):
        raise ValidationError(_("You cannot change this mandate."), code=ErrorCode.FORBIDDEN)
    return _end(mandate, ends_on)
