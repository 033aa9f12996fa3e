"""Account emails: the password reset link (Django's reset views, throttled per address) and the
notice sent when a password or a second factor changes, so a stolen account does not change hands
silently. They go through the messaging engine as account notices: no consent is needed (a
service the account holder asked for or must know of), and they are never party communication.
"""

import datetime

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from abwab.accounts.models import LoginAttempt

# Reset requests are kept with the login tries (as successes: they never block a login).
RESET_KIND = "reset"
RESET_WINDOW = datetime.timedelta(hours=1)


def _limits() -> tuple[int, int]:
    return (
        getattr(settings, "PASSWORD_RESET_PER_EMAIL", 3),
        getattr(settings, "PASSWORD_RESET_PER_ADDRESS", 10),
    )


def reset_allowed(*, email: str, address: str) -> bool:
    """Record a reset request and say whether it may send a mail: a few per email address and per
    client address each hour. A refused request looks the same to the requester."""
    key = email.strip().lower()[:150]
    since = timezone.now() - RESET_WINDOW
    recent = LoginAttempt.objects.filter(kind=RESET_KIND, at__gte=since)
    per_email, per_address = _limits()
    allowed = (
        recent.filter(username=key).count() < per_email
        and recent.filter(address=address).count() < per_address
    )
    LoginAttempt.objects.create(username=key, kind=RESET_KIND, address=address, succeeded=True)
    return allowed


def reset_link(user) -> str:
    """The one-time reset address, built on the configured site address (never on the request's
    Host header, which a requester could forge to receive the token)."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.ABWAB_SITE_URL.rstrip("/") + path


def _both(render) -> dict[str, str]:
    """The texts in Arabic and French; an account has no language of its own, so the email the
    engine sends (the Arabic one) carries the French after it."""
    texts = {}
    for language in ("ar", "fr"):
        with translation.override(language):
            subject, body = render()
        texts[f"subject_{language}"], texts[f"body_{language}"] = subject, body
    texts["body_ar"] = f"{texts['body_ar']}\n\n— — —\n\n{texts['body_fr']}"
    return texts


def password_reset_email(user) -> None:
    """Queue the reset link to the account's email."""
    link = reset_link(user)
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600

    def render():
        return _("Reset your Abwab password"), "\n\n".join(
            [
                _("Someone asked to reset the password of the account %(username)s.")
                % {"username": user.get_username()},
                _("To choose a new password, open this link (valid %(hours)d hours, once):")
                % {"hours": hours},
                link,
                _("If you did not ask for it, ignore this email: your password stays the same."),
            ]
        )

    account_notice_send(user=user, texts=_both(render), about="accounts.reset")


def password_changed_notice(user) -> None:
    """Tell the account holder that their password changed (with what to do if it was not them)."""

    def render():
        return _("Your Abwab password was changed"), "\n\n".join(
            [
                _("The password of the account %(username)s was changed on %(when)s.")
                % {"username": user.get_username(), "when": _now_text()},
                _("If it was not you, tell your secretariat or the administrator at once."),
            ]
        )

    account_notice_send(user=user, texts=_both(render), about="accounts.password")


def second_factor_changed_notice(user) -> None:
    """Tell the account holder that a new authenticator app was set up for their account."""

    def render():
        return _("A new authenticator was set up on your Abwab account"), "\n\n".join(
            [
                _("A new authenticator app was set up for the account %(username)s on %(when)s.")
                % {"username": user.get_username(), "when": _now_text()},
                _("If it was not you, tell your secretariat or the administrator at once."),
            ]
        )

    account_notice_send(user=user, texts=_both(render), about="accounts.second_factor")


def _now_text() -> str:
    from abwab.core.dates import moment

    return moment(timezone.localtime())


def account_notice_send(*, user, texts: dict[str, str], about: str):
    """Queue one account email to `user` (nothing when the account has no email address)."""
    from abwab.messaging.models import Send, SendKind
    from abwab.territory.models import Territory
    from abwab.territory.sources import NATION_CODE

    if not user.email:
        return None
    with transaction.atomic():
        send = Send(
            kind=SendKind.ACCOUNT,
            purpose="",
            by_email=True,
            territory=Territory.objects.get(code=NATION_CODE),
            about=f"{about}:{user.pk}"[:60],
            **texts,
        )
        send.full_clean(exclude=["created_by"])  # the system sends too
        send.save()
        _queue(send=send, user=user)
    return send


def _queue(*, send, user):
    """The one call into the sending engine for account emails."""
    from abwab.messaging.delivery import deliver

    return deliver(actor=None, send=send, recipients=[(user, {})])
