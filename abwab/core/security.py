"""Headers and session limits every response gets: a content security policy, and sessions that
end after a while idle and, whatever happens, after a working day."""

import time

from django.conf import settings
from django.contrib.auth import logout

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


class SecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.setdefault("abwab_login_at", int(time.time()))
            if time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)  # absolute timeout: log in again, even when active
        response = self.get_response(request)
        if not request.path.startswith(("/api/docs",)):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), geolocation=(), microphone=()"
        )
        return response
