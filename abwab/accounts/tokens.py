"""API tokens: minted once (the secret is shown once), stored as a hash, revocable."""

import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from abwab.accounts.models import ApiToken, User

PREFIX = "abw"
# "Last used" is kept to the minute: a desk sending a visitor a second must not write each time.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class SecondFactorFirst(PermissionDenied):
    """A token would let a password alone do what the second factor guards."""


@transaction.atomic
def token_create(*, user: User, name: str, expires_at=None) -> tuple[ApiToken, str]:
    """A new token for the user; returns it and the clear value, which is never stored. Refused
    to a user whose roles need a second factor until a code confirmed their authenticator."""
    from abwab.accounts.twofactor import confirmed_device, requires_second_factor

    if requires_second_factor(user) and confirmed_device(user) is None:
        raise SecondFactorFirst(
            "This account needs a second factor: set up the authenticator before any token."
        )
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, secret_hash=_hash(secret), expires_at=expires_at
    )
    return token, f"{PREFIX}_{prefix}_{secret}"


def token_user(value: str) -> User | None:
    """The active user a token value belongs to, or None (unknown, wrong secret, revoked, expired)."""
    try:
        label, prefix, secret = value.split("_", 2)
    except ValueError:
        return None
    if label != PREFIX:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop a token from working, at once."""
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token
