"""Dates as Moroccan readers write them: day, month, year, with the months' Moroccan names.

One source for every screen, export and text: the Arabic months are the ones the Moroccan press
and administration use (يناير … ماي … يوليوز غشت شتنبر … نونبر دجنبر), not the Levantine or
Egyptian ones Django ships (نوفمبر); French reads "30 novembre 2026". The short form is
"30/11/2026" in both languages (never the US 11/30/2026). Form fields of type date keep ISO
("2026-11-30"), which browsers require; that is not a display.
"""

import datetime

from django.utils import timezone, translation

AR_MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "ماي",
    "يونيو",
    "يوليوز",
    "غشت",
    "شتنبر",
    "أكتوبر",
    "نونبر",
    "دجنبر",
)
FR_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
AR_WEEKDAYS = ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد")
FR_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def page_language(language: str | None = None) -> str:
    """ "fr" or "ar": the given language, else the active one (Arabic unless French)."""
    return "fr" if (language or translation.get_language() or "ar").startswith("fr") else "ar"


def month_name(month: int, language: str | None = None) -> str:
    """The month's name (1 = January) in Moroccan Arabic or French."""
    return (FR_MONTHS if page_language(language) == "fr" else AR_MONTHS)[month - 1]


def weekday_name(day: datetime.date, language: str | None = None) -> str:
    return (FR_WEEKDAYS if page_language(language) == "fr" else AR_WEEKDAYS)[day.weekday()]


def as_day(value: datetime.date | datetime.datetime) -> datetime.date:
    """The calendar day of a date or a moment (an aware moment is read in the local time zone)."""
    if isinstance(value, datetime.datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    return value


def long_date(value, language: str | None = None, *, weekday: bool = False) -> str:
    """ "30 نونبر 2026" / "30 novembre 2026" ("1er" in French); "" for no date."""
    if not value:
        return ""
    day = as_day(value)
    language = page_language(language)
    number = "1er" if language == "fr" and day.day == 1 else str(day.day)
    text = f"{number} {month_name(day.month, language)} {day.year}"
    return f"{weekday_name(day, language)} {text}" if weekday else text


def short_date(value) -> str:
    """ "30/11/2026" in both languages; "" for no date."""
    if not value:
        return ""
    day = as_day(value)
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def clock(value: datetime.datetime) -> str:
    """ "14:05", in the local time zone for an aware moment."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.hour:02d}:{value.minute:02d}"


def moment(value, language: str | None = None) -> str:
    """ "30 نونبر 2026، 14:05" / "30 novembre 2026, 14:05"; a plain date reads as its day."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return long_date(value, language)
    language = page_language(language)
    comma = ", " if language == "fr" else "، "
    return f"{long_date(value, language)}{comma}{clock(value)}"


def short_moment(value) -> str:
    """ "30/11/2026 14:05" (tables, the audit log)."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return short_date(value)
    return f"{short_date(value)} {clock(value)}"
