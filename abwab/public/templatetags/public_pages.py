"""Template helpers of the public pages: links that keep the page's language, the language switch."""

from django import template
from django.urls import reverse
from django.utils import translation

from abwab.core import dates
from abwab.core.language import QUERY_PARAMETER, with_language

register = template.Library()


@register.simple_tag
def purl(name: str, *args) -> str:
    """The public URL `name`, carrying the current language (`?lang=`)."""
    return with_language(reverse(name, args=args))


@register.simple_tag(takes_context=True)
def language_url(context, language: str) -> str:
    """This page's address in `language`, keeping its other parameters (a search, a position)."""
    request = context.get("request")
    if request is None:
        return f"?{QUERY_PARAMETER}={language}"
    query = request.GET.copy()
    query[QUERY_PARAMETER] = language
    return f"{request.path}?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def absolute(context, url: str) -> str:
    """`url` made absolute for OpenGraph (messaging apps need a full address)."""
    request = context.get("request")
    return request.build_absolute_uri(url) if request is not None else url


@register.simple_tag
def og_locale() -> str:
    return "fr_FR" if (translation.get_language() or "ar").startswith("fr") else "ar_MA"


@register.filter
def weekday_date(value) -> str:
    """ "الاثنين 30 نونبر 2026" / "lundi 30 novembre 2026"."""
    return dates.long_date(value, weekday=True)


@register.filter
def tel(value) -> str:
    """A phone number as a tel: target: digits and a leading +, nothing else (E.164)."""
    text = str(value or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("00"):
        return "+" + digits[2:]
    if text.startswith("+"):
        return "+" + digits
    if digits.startswith("0") and len(digits) == 10:
        return "+212" + digits[1:]
    return digits
