"""API tokens: minted once (the secret is shown once), stored as a hash, revocable."""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, FilteredRelation, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.accounts.models import ApiToken, User
from abwab.core.errors import ErrorCode
from abwab.core.prepared import Prepared
from abwab.territory.paths import is_below

PREFIX = "abw"
# "Last used" is kept to the minute: a desk sending a visitor a second must not write each time.
LAST_USED_EVERY = datetime.timedelta(minutes=1)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class SecondFactorFirst(PermissionDenied):
    """A token would let a password alone do what the second factor guards."""


def _check_limit(user: User, *, territory=None, office=None, event=None) -> None:
    """A token is limited to at most one thing, and only to something in its user's scope."""
    from abwab.core.scope import CHANGE, VIEW, can

    limits = [limit for limit in (territory, office, event) if limit is not None]
    if len(limits) > 1:
        raise ValidationError(
            _("Limit a token to a territory, an office or an event: one of them."),
            code=ErrorCode.ONE_LIMIT,
        )
    if territory is not None and not can(user, VIEW, territory):
        raise ValidationError(_("This territory is outside your scope."), code=ErrorCode.FORBIDDEN)
    if office is not None and not can(user, CHANGE, office):
        raise ValidationError(_("This office is outside your scope."), code=ErrorCode.FORBIDDEN)
    if event is not None and not can(user, CHANGE, event):
        raise ValidationError(_("This event is outside your scope."), code=ErrorCode.FORBIDDEN)


@transaction.atomic
def token_create(
    *, user: User, name: str, expires_at=None, territory=None, office=None, event=None
) -> tuple[ApiToken, str]:
    """A new token for the user, optionally limited to a territory, an office or one event in
    the user's scope; returns it and the clear value, which is never stored. Refused to a user
    whose roles need a second factor until a code confirmed their authenticator."""
    from abwab.accounts.twofactor import confirmed_device, requires_second_factor

    if requires_second_factor(user) and confirmed_device(user) is None:
        raise SecondFactorFirst(
            "This account needs a second factor: set up the authenticator before any token."
        )
    _check_limit(user, territory=territory, office=office, event=event)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError(_("The expiry date must be in the future."), code=ErrorCode.EXPIRED)
    prefix, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=" ".join(name.split()),
        prefix=prefix,
        secret_hash=_hash(secret),
        expires_at=expires_at,
        territory=territory,
        office=office,
        event=event,
    )
    token.full_clean()
    token.save()
    return token, f"{PREFIX}_{prefix}_{secret}"


def limited_grants(token: ApiToken, user_grants: tuple) -> tuple:
    """The user's grants narrowed to what the token is limited to (never wider than either):
    a territory keeps each grant's role on the part of that territory it covers; an office or an
    event makes the token a door desk of that office (and only that event), as a volunteer is."""
    from abwab.core.roles import Role
    from abwab.core.scope import Grant

    if token.event_id or token.office_id:
        office = token.event.office if token.event_id else token.office
        path = office.territory.path
        covered = any(
            any(is_below(path, granted) for granted in grant.paths) or grant.office_id == office.pk
            for grant in user_grants
        )
        if not covered:
            return ()
        return (Grant(Role.VOLUNTEER, (path,), None, office.pk, event_id=token.event_id),)
    if token.territory_id:
        path = token.territory.path
        narrowed = []
        for grant in user_grants:
            if grant.role == Role.VOLUNTEER:  # an office's desk: kept when the office lies inside
                if all(is_below(granted, path) for granted in grant.paths):
                    narrowed.append(grant)
                continue
            if any(is_below(path, granted) for granted in grant.paths):
                paths = (path,)
            else:
                paths = tuple(granted for granted in grant.paths if is_below(granted, path))
            if paths:
                narrowed.append(Grant(grant.role, paths))
        return tuple(narrowed)
    return user_grants


def _token_query(*, prefix: str, now, today) -> "QuerySet[ApiToken]":
    """The usable token with this prefix, its user, its limit and the user's roles in force, in
    one query: one row per role held (LEFT JOIN, so one row with no role when none is), each
    carrying the assignment's GRANT_FIELDS as `held_0`…"""
    from abwab.core.scope import GRANT_FIELDS

    held = FilteredRelation(
        "user__role_assignments",
        condition=Q(user__role_assignments__starts_on__lte=today)
        & (
            Q(user__role_assignments__ends_on__isnull=True)
            | Q(user__role_assignments__ends_on__gte=today)
        ),
    )
    return (
        ApiToken.objects.usable(now=now, today=today)
        .filter(prefix=prefix)
        .select_related("user", "territory", "office__territory", "event__office__territory")
        .annotate(held=held)
        .annotate(**{f"held_{i}": F(f"held__{name}") for i, name in enumerate(GRANT_FIELDS)})
        .order_by("held__pk")
    )


# Compiled once per process (its joins cost more to compile than to run), run on every request
# with that request's prefix and clock; nothing read is kept between requests, so a revoked
# token or role stops at once. The second factor's setting changes the query's shape.
_token_rows = Prepared(
    _token_query,
    shape=lambda: settings.REQUIRE_2FA,
    prefix="~prefix marker~",
    now=datetime.datetime(1901, 2, 3, 4, 5, 6, 789, tzinfo=datetime.UTC),
    today=datetime.date(1902, 3, 4),
)


def _limit_nodes(token: ApiToken) -> dict[str, int]:
    """The ids of the nodes a token's limit names, by path (what the audit line's node may be)."""
    if token.event_id:
        node = token.event.office.territory
    elif token.office_id:
        node = token.office.territory
    elif token.territory_id:
        node = token.territory
    else:
        return {}
    return {node.path: node.pk}


def token_user(value: str) -> User | None:
    """The active user a token value belongs to, or None (unknown, wrong secret, revoked, expired).
    The user's grants, read in the token's own query, are narrowed to the token's limit for this
    request, so the scope gate enforces it everywhere; the token itself is kept on the user
    (`api_token`) for the audit."""
    from abwab.core.scope import GRANT_FIELDS, grant_from, grants_set

    try:
        label, prefix, secret = value.split("_", 2)
    except ValueError:
        return None
    if label != PREFIX:
        return None
    now = timezone.now()
    rows = _token_rows(prefix=prefix, now=now, today=timezone.localdate(now))
    token = rows[0] if rows else None
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user = token.user
    nodes: dict[str, int] = {}
    held = tuple(
        grant_from({name: getattr(row, f"held_{i}") for i, name in enumerate(GRANT_FIELDS)}, nodes)
        for row in rows
        if row.held_0 is not None  # the role: none when the user holds no role today
    )
    if token.territory_id or token.office_id or token.event_id:
        held = limited_grants(token, held)
        nodes.update(_limit_nodes(token))
    grants_set(user, held, nodes)
    user.api_token = token
    return user


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User | None = None) -> ApiToken:
    """Stop a token from working, at once (revoking twice changes nothing)."""
    if token.revoked_at is not None:
        return token
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token
