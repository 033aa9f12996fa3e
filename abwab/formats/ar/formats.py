"""Django's formats for Arabic pages, in the Moroccan order: day, month, year (never 11/30/2026).

Django's Arabic locale has no datetime formats, so it fell back to the US "m/d/Y P". What a person
reads goes through `abwab.core.dates` (Moroccan month names); these cover what Django formats
itself (admin, `localize`, a stray `|date`).
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
# A date field's value is ISO (what <input type="date"> needs, in both languages); a day typed by
# hand reads day/month/year, never the US month/day/year of Django's defaults.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
