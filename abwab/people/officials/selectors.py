"""Reads: a body's terms and vacancies, a person's positions and mandates, and who holds what
in a territory at a date (`officials_for`), always through the scope gate when an actor asks."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from abwab.core.scope import CHANGE, VIEW, scope_filter, visible_to
from abwab.people.models import Function, Institution, Mandate, MandateRole, Person, Position
from abwab.people.officials import rules
from abwab.people.selectors import person_search
from abwab.people.titles import NOMINATIVE, function_title, mandate_title
from abwab.territory.models import Body, Territory

INSTITUTION_ORDER = {institution: rank for rank, institution in enumerate(Institution)}
ROLE_ORDER = {role: rank for rank, role in enumerate(MandateRole)}
MANDATE_RANKS_FROM = 100  # mandates are listed after every function in a body


def in_force(queryset: QuerySet, day: datetime.date) -> QuerySet:
    """Terms (positions or mandates) running on `day`."""
    return queryset.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def may_read_officials(actor) -> bool:
    """Whether the actor's roles may read office holders' names at all (not volunteers nor media)."""
    return scope_filter(actor, Position, VIEW) is not None


@dataclass(frozen=True)
class Official:
    """Someone holding a position in a body, or an elected mandate, on a given day."""

    person: Person
    kind: str  # "position" or "mandate"
    function: str  # a Function for a position, a MandateRole for a mandate
    institution: str  # "" for a position
    body: Body | None
    territory: Territory  # the body's node, or the territory the mandate represents
    starts_on: datetime.date
    ends_on: datetime.date | None
    rank: int
    record: Position | Mandate

    @property
    def key(self) -> tuple[str, str, str]:
        """What a communiqué groups by: ("position", "", function) or ("mandate", institution, role)."""
        return (self.kind, self.institution, self.function)

    def title(
        self,
        language: str,
        *,
        count: int = 1,
        gender: str | None = None,
        definite: bool = True,
        case: str = NOMINATIVE,
    ) -> str:
        """The title agreeing with this person (or, given `count` and `gender`, with a group)."""
        gender = self.person.gender if gender is None and count == 1 else gender
        if self.kind == "position":
            return function_title(
                self.function,
                language=language,
                gender=gender,
                count=count,
                definite=definite,
                case=case,
            )
        return mandate_title(
            self.institution,
            self.function,
            language=language,
            gender=gender,
            count=count,
            definite=definite,
            case=case,
        )


def _from_position(position: Position) -> Official:
    return Official(
        person=position.person,
        kind="position",
        function=position.function,
        institution="",
        body=position.body,
        territory=position.body.territory,
        starts_on=position.starts_on,
        ends_on=position.ends_on,
        rank=position.rank,
        record=position,
    )


def _from_mandate(mandate: Mandate) -> Official:
    return Official(
        person=mandate.person,
        kind="mandate",
        function=mandate.role,
        institution=mandate.institution,
        body=None,
        territory=mandate.territory,
        starts_on=mandate.starts_on,
        ends_on=mandate.ends_on,
        rank=MANDATE_RANKS_FROM
        + 10 * INSTITUTION_ORDER.get(mandate.institution, 9)
        + ROLE_ORDER.get(mandate.role, 9),
        record=mandate,
    )


def officials_for(
    territory: Territory, on_date: datetime.date | None = None, *, actor=None
) -> list[Official]:
    """Positions in the bodies at or below `territory` and mandates representing a node at or below
    it, in force on `on_date` (today by default), by rank (functions, then mandates), then name.

    With an actor, only what the actor may read (none for volunteers and media officers); without
    one (the system composing a communiqué), everything. One person may appear several times.
    """
    day = on_date or timezone.localdate()
    positions = in_force(
        Position.objects.filter(body__territory__path__startswith=territory.path), day
    ).select_related("person", "body__territory", "body__party_unit")
    mandates = in_force(
        Mandate.objects.filter(territory__path__startswith=territory.path), day
    ).select_related("person", "territory")
    if actor is not None:
        positions, mandates = visible_to(actor, positions), visible_to(actor, mandates)
    found = [_from_position(p) for p in positions] + [_from_mandate(m) for m in mandates]
    return sorted(
        found,
        key=lambda o: (o.rank, o.territory.path, o.person.last_name_ar, o.person.pk, o.record.pk),
    )


@dataclass(frozen=True)
class BodyTerms:
    """A body's current terms, its vacancies and its past terms, for its page and the API."""

    current: list[Position]
    vacancies: list[str]
    past: list[Position]


def body_terms(*, actor, body: Body, on: datetime.date | None = None) -> BodyTerms:
    """Who holds what in the body on a day (today by default), what its kind expects that nobody
    holds, and the terms already over (most recent first)."""
    day = on or timezone.localdate()
    positions = Position.objects.filter(body=body).select_related("person__territory")
    if actor is not None:  # None: the system (a meeting's invitations), which sees everything
        positions = visible_to(actor, positions)
    current = list(in_force(positions, day).order_by("rank", "starts_on", "pk"))
    held = {position.function for position in current}
    vacancies = [f for f in rules.expected_functions(body.kind) if f not in held]
    past = list(positions.filter(ends_on__lt=day).order_by("-ends_on", "rank", "pk")[:100])
    return BodyTerms(current=current, vacancies=vacancies, past=past)


def person_terms(*, actor, person: Person) -> tuple[list[Position], list[Mandate]]:
    """A person's positions and mandates the actor may read, running ones first."""
    today = timezone.localdate()

    def order(term):
        running = term.ends_on is None or term.ends_on >= today
        return (not running, -term.starts_on.toordinal(), term.pk)

    positions = visible_to(
        actor, Position.objects.filter(person=person).select_related("body__territory")
    )
    mandates = visible_to(actor, Mandate.objects.filter(person=person).select_related("territory"))
    return sorted(positions, key=order), sorted(mandates, key=order)


def people_to_name(*, actor, query: str, limit: int = 20) -> list[Person]:
    """People the actor may name in a body or a mandate (in their subtree), by name or CIN."""
    if not query.strip():
        return []
    people = visible_to(actor, person_search(actor=actor, query=query), CHANGE)
    return list(people[:limit])


def function_choices() -> list[tuple[str, str]]:
    return list(Function.choices)
