"""Cleaning and validating a person's identifiers, each failure with a clear, translated message."""

import datetime
import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode

CIN_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9]{1,7}$")
MEMBERSHIP_MIN_AGE = 18


def clean_cin(value: str | None) -> str | None:
    """A CIN in canonical form (upper case, no spaces, ASCII), or None when blank; full-width
    letters and digits and Arabic-Indic digits, as phones and keyboards type them, are the same CIN."""
    if not value or not value.strip():
        return None
    cin = unicodedata.normalize("NFKC", value)
    cin = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in cin)
    cin = re.sub(r"[\s\-]", "", cin).upper()
    if not CIN_PATTERN.match(cin):
        raise ValidationError(
            _(
                "A national ID number (CIN) is one or two letters followed by digits, for example AB123456."
            ),
            code=ErrorCode.INVALID_CIN,
        )
    return cin


def clean_phone(value: str | None) -> str:
    """A phone number in E.164 form, Morocco being the default country; blank stays blank."""
    if not value or not value.strip():
        return ""
    try:
        number = phonenumbers.parse(value, "MA")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("This phone number cannot be read."), code=ErrorCode.INVALID_PHONE
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("This phone number does not exist."), code=ErrorCode.INVALID_PHONE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_birth_date(value: datetime.date | None) -> datetime.date | None:
    if value is None:
        return None
    today = timezone.localdate()
    if value > today:
        raise ValidationError(
            _("The birth date is in the future."), code=ErrorCode.FUTURE_BIRTH_DATE
        )
    if value.year < today.year - 120:
        raise ValidationError(
            _("The birth date is more than 120 years ago."), code=ErrorCode.OLD_BIRTH_DATE
        )
    return value


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
