"""The language of a public page comes from its address: `?lang=ar|fr` selects the language of that
response, so a link shared in a messaging group opens in the language it was shared in; without it,
the visitor's own choice (cookie) or Arabic. The switch is a link, never a POST, and setting it
stores nothing (a cookie would break the shared cache of public pages)."""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

QUERY_PARAMETER = "lang"


def supported() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def query_language(request: HttpRequest) -> str | None:
    """The language the address asks for, if it is one we speak."""
    asked = request.GET.get(QUERY_PARAMETER, "")
    return asked if asked in supported() else None


def activate_from_query(request: HttpRequest) -> str:
    """Make the address's language the active one for this request; return the active language."""
    language = query_language(request)
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language
    return translation.get_language() or settings.LANGUAGE_CODE


def public_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorator for public views: `?lang=` picks the response's language (the middleware does the
    same under /open-doors/; this covers a public view mounted elsewhere)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        language = activate_from_query(request)
        response = view(request, *args, **kwargs)
        response.headers["Content-Language"] = language
        return response

    return wrapped


def with_language(url: str, language: str | None = None, **params) -> str:
    """`url` with `?lang=` (and any other parameters) so that a followed link keeps the language."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    query = urlencode(
        {**{k: v for k, v in params.items() if v not in (None, "")}, "lang": language}
    )
    return f"{url}{'&' if '?' in url else '?'}{query}"
