"""Filters every template may use without loading them (a builtin library, see settings).

Dates: `date_long` ("30 نونبر 2026" / "30 novembre 2026"), `date_short` ("30/11/2026"),
`moment` ("30 نونبر 2026، 14:05"), `moment_short` ("30/11/2026 14:05"), all from
`abwab.core.dates`, never Django's `date` filter for what a person reads.
Direction: `ltr` (a number, code or phone kept left to right, isolated), `bdi` (isolated, direction
from its own text), `join_list` and `{% comma %}` (the Arabic comma on Arabic pages), `{% arrow %}`
(← in Arabic).
"""

import datetime

from django import template
from django.utils.html import format_html, format_html_join

from abwab.core import bidi, dates

register = template.Library()


@register.filter
def date_long(value) -> str:
    return dates.long_date(value)


@register.filter
def date_short(value) -> str:
    return dates.short_date(value)


@register.filter
def moment(value) -> str:
    return dates.moment(value)


@register.filter
def moment_short(value) -> str:
    return dates.short_moment(value)


@register.filter
def day_label(value) -> str:
    """A label that may be a day (a chart's row: a date or its ISO text) as "30 نونبر 2026"."""
    if isinstance(value, datetime.date):
        return dates.long_date(value)
    if isinstance(value, str) and len(value) == 10:
        try:
            return dates.long_date(datetime.date.fromisoformat(value))
        except ValueError:
            pass
    return value


@register.filter(is_safe=True)
def ltr(value) -> str:
    """<bdi dir="ltr">value</bdi>; nothing for an empty value."""
    if value in (None, ""):
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', value)


@register.filter(name="bdi", is_safe=True)
def bdi_filter(value) -> str:
    """<bdi>value</bdi>: the value keeps its own direction and does not move its neighbours."""
    if value in (None, ""):
        return ""
    return format_html("<bdi>{}</bdi>", value)


@register.filter(is_safe=True)
def join_list(items) -> str:
    """The items joined with "، " on Arabic pages and ", " on French ones, each isolated."""
    return format_html_join(bidi.list_separator(), "<bdi>{}</bdi>", ((item,) for item in items))


@register.simple_tag
def comma() -> str:
    """The list separator of the page's language, for lists written out in a loop: "، " or ", "."""
    return bidi.list_separator()


@register.simple_tag
def arrow() -> str:
    """ "→" on left-to-right pages, "←" on Arabic ones (the arrow points to what follows)."""
    return bidi.forward_arrow()
