"""Reads of the people app, always through the scope gate."""

import datetime
import re

from django.core.exceptions import ValidationError
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


# Digits (Latin or Arabic-Indic) with the spaces, dashes, dots and brackets phones are written
# with, and an optional leading +: six digits at least.
PHONE_TYPED = re.compile(r"(?<![\w\-])\+?[(]?[0-9٠-٩](?:[\s.()\-]*[0-9٠-٩]){5,}(?!\w)")

CIN_TYPED = re.compile(r"(?<!\w)[A-Za-zＡ-Ｚａ-ｚ]{1,2}[\s\-]?[0-9٠-٩０-９]{3,}(?!\w)")

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


def person_search_filtered(*, actor, filters: dict, territory=None) -> QuerySet:
    """`person_search` with the members list's cleaned filters (the list, its cards and exports)."""
    return person_search(
        actor=actor,
        query=filters.get("q", ""),
        territory=territory,
        status=filters.get("status", ""),
        gender=filters.get("gender", ""),
        age_band=filters.get("age_band", ""),
        skill=filters["skill"].code if filters.get("skill") else "",
    )


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
    from abwab.names.identifiers import read_phone
    from abwab.people.models import Person
    from abwab.people.validation import clean_cin

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
    for typed in CIN_TYPED.findall(query):
        # A CIN as cards show it or a keyboard types it (cd 123456, ＣＤ１２３４５６): its own filter.
        try:
            cin = clean_cin(typed)
        except ValidationError:
            continue
        query = query.replace(typed, " ")
        people = people.filter(cin=cin)
    for phone in PHONE_TYPED.findall(query):
        # A phone as screens show it (+212 6 12-34-56-78): its spaces and dashes are no words.
        if len(digits := read_phone(phone).lstrip("+0")) >= 6:
            query = query.replace(phone, " ")
            people = people.filter(phone__endswith=digits)
    for token in query.split():
        match = (
            Q(first_name_ar__icontains=token)
            | Q(last_name_ar__icontains=token)
            | Q(first_name_latin__icontains=token)
            | Q(last_name_latin__icontains=token)
        )
        if key := name_key(token):
            match |= Q(key_first=key) | Q(key_last=key)
        people = people.filter(match)
    return visible_to(actor, people).order_by("last_name_ar", "first_name_ar", "pk")
