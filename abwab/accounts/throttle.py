"""Throttling of everything that checks a secret (the login's password, an authenticator code, a
password re-check), by account and by client address. Failures of every kind count together.

The address is the TCP peer (REMOTE_ADDR). Behind a reverse proxy, set TRUSTED_PROXIES to the number
of proxies in front of the app: the address is then read that many hops from the right of
X-Forwarded-For, the part the proxies wrote, so a client cannot forge its own.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from abwab.accounts.models import AttemptKind, LoginAttempt
from abwab.accounts.usernames import normalise_username


def client_address(request) -> str:
    """The client's address: the peer, or the address the trusted proxies recorded."""
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        hops = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "0.0.0.0")  # noqa: S104 - only a fallback label


def blocked(*, username: str, address: str) -> bool:
    """Too many recent failures for this account (however its name is spelt) or from this address."""
    since = timezone.now() - datetime.timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)
    failures = LoginAttempt.objects.filter(at__gte=since, succeeded=False)
    return (
        failures.filter(username=_key(username)).count() >= settings.LOGIN_MAX_FAILURES_PER_ACCOUNT
        or failures.filter(address=address).count() >= settings.LOGIN_MAX_FAILURES_PER_ADDRESS
    )


def record(*, username: str, address: str, succeeded: bool, kind: str = AttemptKind.LOGIN) -> None:
    """Keep one try, under the account's normalised name."""
    LoginAttempt.objects.create(
        username=_key(username), kind=kind, address=address, succeeded=succeeded
    )


def _key(username: str) -> str:
    return normalise_username(username)[:150]
