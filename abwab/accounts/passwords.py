"""A password validator that refuses passwords found in (or built from) leaked-password lists.

zxcvbn ships, offline, the frequency lists of passwords leaked in past breaches, with common
names and words; a password it finds guessable (score below 3) is refused. No network needed."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

from abwab.core.errors import ErrorCode


class BreachedPasswordValidator:
    def __init__(self, min_score: int = 3):
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        inputs = [
            value
            for value in (
                getattr(user, "username", ""),
                getattr(user, "first_name", ""),
                getattr(user, "last_name", ""),
            )
            if value
        ]
        result = zxcvbn(password[:100], user_inputs=inputs)
        if result["score"] < self.min_score:
            raise ValidationError(
                _(
                    "This password is too easy to guess: it appears in leaked-password lists or is built from common words."
                ),
                code=ErrorCode.PASSWORD_BREACHED,
            )

    def get_help_text(self) -> str:
        return _("Your password must not be one found in leaked-password lists, nor easy to guess.")
