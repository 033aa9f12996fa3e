"""Two-factor authentication with an authenticator app (TOTP), required for national and regional
roles, and re-authentication before sensitive actions."""

import time
from functools import wraps

import pyotp
from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from abwab.accounts.models import TotpDevice
from abwab.core.roles import Role
from abwab.core.scope import roles

REQUIRES_2FA = {Role.NATIONAL_ADMIN, Role.REGIONAL_SECRETARY}
VERIFIED = "abwab_2fa_at"
REAUTH = "abwab_reauth_at"


def requires_second_factor(user) -> bool:
    return settings.REQUIRE_2FA and bool(roles(user) & REQUIRES_2FA)


def device_for(user) -> TotpDevice:
    """The user's device, created unconfirmed with a fresh secret on first use."""
    device, _created = TotpDevice.objects.get_or_create(
        user=user, defaults={"secret": pyotp.random_base32()}
    )
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.get_username(), issuer_name="Abwab"
    )


@transaction.atomic
def verify_code(device: TotpDevice, code: str) -> bool:
    """Accept a 6-digit code of the current 30-second step (±1), never the same step twice."""
    device = TotpDevice.objects.select_for_update().get(pk=device.pk)
    totp = pyotp.TOTP(device.secret)
    now = int(time.time())
    code = "".join(code.split())
    for drift in (0, -1, 1):
        counter = now // 30 + drift
        if counter > device.last_counter and totp.at(counter * 30) == code:
            device.last_counter = counter
            device.confirmed_at = device.confirmed_at or timezone.now()
            device.save(update_fields=["last_counter", "confirmed_at"])
            return True
    return False


class SecondFactorMiddleware:
    """Sends users whose roles need a second factor to set it up, then to enter a code, before any page."""

    EXEMPT = ("/accounts/", "/static/", "/i18n/", "/news/", "/healthz", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(VERIFIED)
            and not request.path.startswith(self.EXEMPT)
            and requires_second_factor(user)
        ):
            return redirect(f"{reverse('accounts:second_factor')}?next={request.get_full_path()}")
        return self.get_response(request)


def recent_authentication_required(view):
    """Ask for the password again when the last check is older than REAUTH_SECONDS."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if time.time() - request.session.get(REAUTH, 0) > settings.REAUTH_SECONDS:
            return redirect(f"{reverse('accounts:reauthenticate')}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapper
