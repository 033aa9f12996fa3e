"""Headers and session limits every response gets: a content security policy, and sessions that
end after a while idle and, whatever happens, after a working day."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # htmx adds its indicator style; a few templates set widths inline. No inline scripts anywhere.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def _has_nul(request) -> bool:
    if "%00" in request.META.get("QUERY_STRING", ""):
        return True
    kind = request.META.get("CONTENT_TYPE", "")
    if kind.startswith(("application/json", "application/x-www-form-urlencoded")):
        return b"\x00" in request.body or b"\\u0000" in request.body or b"%00" in request.body
    return False


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            # No text field may hold a NUL byte (PostgreSQL refuses them): refuse it at the door.
            return JsonResponse(
                {
                    "code": ErrorCode.INVALID_INPUT,
                    "message": _("The request contains a NUL character."),
                },
                status=400,
            )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.setdefault("abwab_login_at", int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)  # absolute timeout: log in again, even when active
        response = self.get_response(request)
        # Every page, the API docs included (Swagger UI comes from ninja's static files).
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), geolocation=(), microphone=()"
        )
        return response
