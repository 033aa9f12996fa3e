"""Meeting pages' filters: Moroccan dates, titles that agree with the person."""

from django import template
from django.utils import timezone, translation

from abwab.meetings.communique import date_ar, date_fr
from abwab.meetings.selectors import attendance_title

register = template.Library()


def _language() -> str:
    return "fr" if translation.get_language() == "fr" else "ar"


@register.filter
def moroccan_date(value) -> str:
    """ "الأحد 10 نونبر 2024" / "dimanche 10 novembre 2024" (Moroccan month names, day first)."""
    if not value:
        return ""
    day = timezone.localtime(value).date() if hasattr(value, "hour") else value
    if _language() == "fr":
        return date_fr(day).removeprefix("le ")
    return date_ar(day).removeprefix("يوم ")


@register.filter
def title_of(attendance) -> str:
    """What the person attended as, in the page's language, agreeing with their gender."""
    return attendance_title(attendance, _language())
