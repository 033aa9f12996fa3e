"""Arabic first: the language is the one the user chose (cookie), else Arabic — never the browser's guess.
On the public open-doors pages the address decides first (`?lang=ar|fr`), so a shared link opens in
the language it was shared in."""

from django.conf import settings
from django.utils import translation


class LanguageMiddleware:
    # Paths whose `?lang=` selects the response's language (public pages, no account to remember it).
    QUERY_LANGUAGE_PREFIXES = ("/open-doors/",)

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        if request.path.startswith(self.QUERY_LANGUAGE_PREFIXES):
            asked = request.GET.get("lang", "")
            language = asked if asked in self.supported else language
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie".lstrip(", ")
        return response
