"""Meeting pages' filters: Moroccan dates, titles that agree with the person."""

from django import template
from django.utils import translation

from abwab.core.dates import long_date
from abwab.meetings.selectors import attendance_title

register = template.Library()


def _language() -> str:
    return "fr" if translation.get_language() == "fr" else "ar"


@register.filter
def moroccan_date(value) -> str:
    """ "الأحد 10 نونبر 2024" / "dimanche 10 novembre 2024" (Moroccan month names, day first)."""
    return long_date(value, weekday=True)


@register.filter
def title_of(attendance) -> str:
    """What the person attended as, in the page's language, agreeing with their gender."""
    return attendance_title(attendance, _language())
