"""Template helpers for office holders: titles that agree with the holder, Moroccan dates, and a
person's positions and mandates as a section of their page."""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from abwab.core.dates import long_date
from abwab.core.scope import CHANGE, can, territories_where
from abwab.people.models import Mandate, Position
from abwab.people.titles import function_title, mandate_title

register = template.Library()


def _language() -> str:
    return "fr" if (get_language() or "ar").startswith("fr") else "ar"


@register.filter
def dmy(day: datetime.date | None) -> str:
    """Day, Moroccan month name, year: "10 نونبر 2024", "10 novembre 2024"."""
    return long_date(day)


@register.filter
def holder_title(term) -> str:
    """A position's or mandate's title agreeing with its holder's gender, in the page's language."""
    language = _language()
    definite = language == "ar"  # French reads "M. X, secrétaire régional" (no article)
    gender = term.person.gender
    if isinstance(term, Mandate):
        return mandate_title(
            term.institution, term.role, language=language, gender=gender, definite=definite
        )
    return function_title(term.function, language=language, gender=gender, definite=definite)


@register.filter
def function_name(function: str) -> str:
    """A function's title with nobody named yet (a vacancy): the masculine singular."""
    language = _language()
    return function_title(function, language=language, gender=None, definite=language == "ar")


@register.inclusion_tag("people/officials/_person_offices.html", takes_context=True)
def person_offices(context, person):
    """The person's positions and mandates, each with its end button where the user may end it."""
    from abwab.people.officials.forms import MandateForm
    from abwab.people.officials.selectors import person_terms

    user = context["request"].user
    positions, mandates = person_terms(actor=user, person=person)
    today = timezone.localdate()
    territories = territories_where(user, Mandate).order_by("path")
    may_add = can(user, CHANGE, person) and territories.exists()
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "person": person,
        "positions": [(p, can(user, CHANGE, p), _running(p, today)) for p in positions],
        "mandates": [(m, can(user, CHANGE, m), _running(m, today)) for m in mandates],
        "form": MandateForm(territories=territories, initial={"starts_on": today, "role": "member"})
        if may_add
        else None,
    }


def _running(term: Position | Mandate, today: datetime.date) -> bool:
    return term.ends_on is None or term.ends_on >= today
