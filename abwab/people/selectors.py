"""Reads of the people app, always through the scope gate."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from abwab.core.scope import visible_to
from abwab.people.models import Position
from abwab.territory.models import Body


def body_office_holders(
    *, actor, body: Body, on: datetime.date | None = None
) -> QuerySet[Position]:
    """The body's office holders on a day (today by default), by rank of function."""
    day = on or timezone.localdate()
    positions = (
        Position.objects.filter(body=body, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .select_related("person")
        .order_by("rank", "starts_on", "pk")
    )
    return visible_to(actor, positions)


AGE_BANDS = {
    "18-24": (18, 24),
    "25-34": (25, 34),
    "35-44": (35, 44),
    "45-59": (45, 59),
    "60+": (60, 130),
}


def _birth_range(band: str) -> tuple[datetime.date, datetime.date]:
    youngest, oldest = AGE_BANDS[band]
    today = timezone.localdate()
    earliest = today.replace(year=today.year - oldest - 1) + datetime.timedelta(days=1)
    latest = today.replace(year=today.year - youngest)
    return earliest, latest


def person_search(
    *,
    actor,
    query: str = "",
    territory=None,
    status: str = "",
    gender: str = "",
    age_band: str = "",
    skill: str = "",
) -> QuerySet:
    """People the actor may see, matching a name in either script (spelling-tolerant), CIN or phone."""
    from abwab.names import name_key
    from abwab.people.models import Person
    from abwab.people.validation import CIN_PATTERN

    people = Person.objects.live().select_related("territory").prefetch_related("memberships")
    if territory is not None:
        people = people.filter(territory__path__startswith=territory.path)
    if status:
        people = people.filter(memberships__status=status).distinct()
    if gender:
        people = people.filter(gender=gender)
    if age_band in AGE_BANDS:
        people = people.filter(birth_date__range=_birth_range(age_band))
    if skill:
        people = people.filter(skills__code=skill)
    for token in query.split():
        match = (
            Q(first_name_ar__icontains=token)
            | Q(last_name_ar__icontains=token)
            | Q(first_name_latin__icontains=token)
            | Q(last_name_latin__icontains=token)
        )
        if key := name_key(token):
            match |= Q(key_first=key) | Q(key_last=key)
        if token.isdigit() and len(token) >= 6:
            match |= Q(phone__endswith=token.lstrip("0"))
        elif CIN_PATTERN.match(token.upper()):
            match |= Q(cin=token.upper())
        people = people.filter(match)
    return visible_to(actor, people).order_by("last_name_ar", "first_name_ar", "pk")
