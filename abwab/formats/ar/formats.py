"""Django's formats for Arabic pages, in the Moroccan order: day, month, year (never 11/30/2026).

Django's Arabic locale has no datetime formats, so it fell back to the US "m/d/Y P". What a person
reads goes through `abwab.core.dates` (Moroccan month names); these cover what Django formats
itself (admin, `localize`, a stray `|date`). Input formats are Django's (ISO is always accepted).
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
