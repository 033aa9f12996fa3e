"""Two-factor authentication with an authenticator app (TOTP), required for national and regional
roles, and re-authentication before sensitive actions.

`second_factor_pending` is the one answer to "is this session fully signed in?": the middleware
asks it for every path (pages and API alike), the API's session authentication asks it again, and
tokens are made only for accounts that have a confirmed factor."""

import time
from functools import wraps

import pyotp
from django.conf import settings
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from abwab.accounts.models import TotpDevice
from abwab.core.errors import ErrorCode
from abwab.core.roles import Role
from abwab.core.scope import roles

REQUIRES_2FA = {Role.NATIONAL_ADMIN, Role.REGIONAL_SECRETARY}
VERIFIED = "abwab_2fa_at"
REAUTH = "abwab_reauth_at"
# The secret offered while setting up, kept in this session only until a first code confirms it:
# another session (someone else holding the password) is never shown it.
SETUP_SECRET = "abwab_2fa_setup"  # noqa: S105 - a session key, not a secret


def requires_second_factor(user) -> bool:
    """Whether this user's roles call for an authenticator code (when 2FA is on)."""
    return settings.REQUIRE_2FA and bool(roles(user) & REQUIRES_2FA)


def second_factor_pending(request) -> bool:
    """A signed-in session whose user still owes the code: it may reach nothing but the
    second-factor and logout pages."""
    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_authenticated
        and not request.session.get(VERIFIED)
        and requires_second_factor(user)
    )


def confirmed_device(user) -> TotpDevice | None:
    """The user's authenticator, once a first code confirmed it; None before."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def provisioning_uri(user, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name="Abwab")


def _matching_counter(secret: str, code: str, after: int) -> int | None:
    """The 30-second step (current ±1, later than `after`) whose code this is, or None."""
    totp = pyotp.TOTP(secret)
    now = int(time.time())
    code = "".join(code.split())
    for drift in (0, -1, 1):
        counter = now // 30 + drift
        if counter > after and totp.at(counter * 30) == code:
            return counter
    return None


@transaction.atomic
def verify_code(device: TotpDevice, code: str) -> bool:
    """Accept a 6-digit code of the current 30-second step (±1), never the same step twice."""
    device = TotpDevice.objects.select_for_update().get(pk=device.pk)
    counter = _matching_counter(device.secret, code, device.last_counter)
    if counter is None:
        return False
    device.last_counter = counter
    device.save(update_fields=["last_counter"])
    return True


@transaction.atomic
def device_enrol(*, user, secret: str, code: str) -> bool:
    """Confirm a new authenticator with its first code; refused when the user already has one
    (a second session holding the password cannot replace it)."""
    device = TotpDevice.objects.select_for_update().filter(user=user).first()
    if device is not None and device.confirmed_at is not None:
        return False
    counter = _matching_counter(secret, code, 0)
    if counter is None:
        return False
    TotpDevice.objects.update_or_create(
        user=user,
        defaults={"secret": secret, "confirmed_at": timezone.now(), "last_counter": counter},
    )
    from abwab.accounts.notices import second_factor_changed_notice

    second_factor_changed_notice(user)
    return True


class SecondFactorMiddleware:
    """Holds a session that still owes its second factor at the second-factor page: pages redirect
    there, the API answers 401 in JSON; only that page, logout and assets stay open."""

    # No user data behind these: assets, the language switch, the health check.
    OPEN_PREFIXES = ("/static/", "/i18n/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if second_factor_pending(request) and not self._open(request.path):
            if request.path.startswith("/api/"):
                code = ErrorCode.SECOND_FACTOR_REQUIRED
                return JsonResponse(
                    {"code": code, "message": str(code.message)}, status=code.status
                )
            return redirect(f"{reverse('accounts:second_factor')}?next={request.get_full_path()}")
        return self.get_response(request)

    def _open(self, path: str) -> bool:
        return path in (
            reverse("accounts:second_factor"),
            reverse("accounts:logout"),
        ) or path.startswith(self.OPEN_PREFIXES)


def recent_authentication_required(view):
    """Ask for the password again when the last check is older than REAUTH_SECONDS."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if time.time() - request.session.get(REAUTH, 0) > settings.REAUTH_SECONDS:
            return redirect(f"{reverse('accounts:reauthenticate')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapper
