"""The abuse rules of the public forms, with no third-party service: rate limits per client address
and per phone (counted in the database, so every worker shares them), a honeypot field, a proof of
work the browser solves (`static/public/pow.js`), a minimum time to fill a form, and Moroccan phone
plausibility.

A rate limit refuses (the citizen is told, nothing is saved). Everything else that looks automated
is *held* for a moderator rather than refused: a bot learns nothing from the answer, and a citizen
whose phone runs no JavaScript still gets through once a person has looked.
"""

import datetime
import hashlib
import hmac
import ipaddress
import secrets
import time
import unicodedata
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from abwab.accounts.throttle import client_address
from abwab.core.bidi import isolate_ltr
from abwab.core.errors import ErrorCode
from abwab.public.models import RateCounter, SpentChallenge

HONEYPOT = "website"  # a field people never see; robots fill every field they find
CHALLENGE_FIELD = "pow_challenge"
NONCE_FIELD = "pow_nonce"
_SALT = "abwab.public.pow"


class Held:
    """Why a submission waits for a moderator (stored in PublicSubmission.reason)."""

    HONEYPOT = "honeypot"
    NO_PROOF = "no_proof"
    BAD_PROOF = "bad_proof"
    EXPIRED = "expired_proof"
    REUSED = "reused_proof"
    TOO_FAST = "too_fast"


HELD_LABELS = {
    Held.HONEYPOT: gettext_lazy("A field hidden from people was filled in (robots fill them)."),
    Held.NO_PROOF: gettext_lazy(
        "The page's check did not run (the phone may have JavaScript turned off)."
    ),
    Held.BAD_PROOF: gettext_lazy("The page's check was wrong."),
    Held.EXPIRED: gettext_lazy("The form stayed open too long before it was sent."),
    Held.REUSED: gettext_lazy("The page's check had already been used by another form."),
    Held.TOO_FAST: gettext_lazy("The form was sent faster than a person can fill it."),
}


@dataclass(frozen=True)
class Verdict:
    refused: str | None = None  # a translated message: show it and save nothing
    held: str = ""  # "" to accept, else a reason code of `Held`


# --- keyed hashes ------------------------------------------------------------------------------


def keyed_hash(value: str) -> str:
    """An HMAC of the value with the secret key: comparable, not reversible without the key."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def client_hash(request) -> str:
    """The client's address, hashed. An IPv6 client owns a whole /64, so that is what counts."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return keyed_hash(f"addr:{address}")
    if ip.version == 6 and not ip.ipv4_mapped:
        address = str(ipaddress.ip_network(f"{ip}/64", strict=False))
    elif ip.version == 6:
        address = str(ip.ipv4_mapped)
    return keyed_hash(f"addr:{address}")


def phone_hash(phone: str) -> str:
    return keyed_hash(f"phone:{phone}") if phone else ""


# --- phones ------------------------------------------------------------------------------------

_PLAUSIBLE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def plausible_phone(raw: str) -> str:
    """The E.164 form of a plausible Moroccan phone (mobile 06/07, landline 05; written 0…,
    +212… or 00212…, with spaces, dashes or Arabic-Indic digits), else a ValidationError."""
    text = unicodedata.normalize("NFKC", raw or "")
    text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text).strip()
    message = _(
        "Give a Moroccan mobile number (06 or 07) or landline (05), for example %(example)s."
    ) % {"example": isolate_ltr("0661 23 45 67")}
    if not text:
        raise ValidationError(message, code=ErrorCode.INVALID_PHONE)
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, "MA")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(message, code=ErrorCode.INVALID_PHONE) from error
    if (
        number.country_code != 212
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in _PLAUSIBLE_TYPES
    ):
        raise ValidationError(message, code=ErrorCode.INVALID_PHONE)
    subscriber = str(number.national_number)[1:]  # after the 5/6/7
    if len(set(subscriber)) == 1 or subscriber in "0123456789" or subscriber in "9876543210":
        raise ValidationError(
            _("This phone number looks made up; give the number you can be reached on."),
            code=ErrorCode.INVALID_PHONE,
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- rate limits -------------------------------------------------------------------------------


def _window_start(now: datetime.datetime, seconds: int) -> datetime.datetime:
    epoch = int(now.timestamp())
    return datetime.datetime.fromtimestamp(epoch - epoch % seconds, tz=datetime.UTC)


def hit(key: str, *, window: int | None = None) -> int:
    """Count one hit of `key` in the current window and return the window's count. The row is
    bumped with one UPDATE (atomic on every engine) and created on the window's first hit; two
    workers creating it at once meet the unique constraint, and the loser bumps the winner's row."""
    window = window or settings.PUBLIC_RATE_WINDOW
    now = timezone.now()
    start = _window_start(now, window)
    key = key[:100]
    rows = RateCounter.objects.filter(key=key, window_start=start)
    if not rows.update(hits=F("hits") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window_start=start, hits=1)
        except IntegrityError:
            rows.update(hits=F("hits") + 1)
        else:
            # A new window: the windows that ended are of no use any more.
            RateCounter.objects.filter(
                window_start__lt=start - datetime.timedelta(seconds=window)
            ).delete()
    return rows.values_list("hits", flat=True).first() or 0


def over_limit(key: str, limit: int) -> bool:
    return hit(key) > limit


def lookup_refused(request) -> str | None:
    """A receipt look-up (following a submission) from this address: refused with a message when
    the address looked up too many in the window, so that receipts cannot be guessed by trying."""
    if over_limit(f"lookup:{client_hash(request)}", settings.PUBLIC_RATE_LOOKUPS):
        return _("Too many look-ups from this connection. Try again in an hour.")
    return None


# --- proof of work -----------------------------------------------------------------------------


def challenge_new(bits: int | None = None) -> str:
    """A signed, dated challenge: the browser must find a nonce such that sha256(challenge +
    nonce) starts with `bits` zero bits."""
    bits = settings.PUBLIC_POW_BITS if bits is None else bits
    return signing.dumps(
        {"n": secrets.token_urlsafe(12), "b": bits, "t": int(time.time())}, salt=_SALT
    )


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte == 0:
            count += 8
            continue
        count += 8 - byte.bit_length()
        break
    return count


def solve(challenge: str, bits: int) -> str:
    """Find a nonce as the browser does (for tests and scripts)."""
    nonce = 0
    while leading_zero_bits(hashlib.sha256(f"{challenge}{nonce}".encode()).digest()) < bits:
        nonce += 1
    return str(nonce)


def _proof_held(challenge: str, nonce: str) -> str:
    """The reason to hold a form for its proof of work, or "" when the proof is good and fresh."""
    if not challenge or not nonce:
        return Held.NO_PROOF
    try:
        data = signing.loads(challenge, salt=_SALT, max_age=settings.PUBLIC_POW_MAX_AGE)
    except signing.SignatureExpired:
        return Held.EXPIRED
    except signing.BadSignature:
        return Held.BAD_PROOF
    if len(nonce) > 20 or not isinstance(data, dict):
        return Held.BAD_PROOF
    bits = max(int(data.get("b", 0)), settings.PUBLIC_POW_BITS)
    digest = hashlib.sha256(f"{challenge}{nonce}".encode()).digest()
    if leading_zero_bits(digest) < bits:
        return Held.BAD_PROOF
    spent = hashlib.sha256(challenge.encode()).hexdigest()
    expires = timezone.now() + datetime.timedelta(seconds=settings.PUBLIC_POW_MAX_AGE)
    try:
        with transaction.atomic():
            SpentChallenge.objects.create(digest=spent, expires_at=expires)
    except IntegrityError:
        return Held.REUSED
    SpentChallenge.objects.filter(expires_at__lt=timezone.now()).delete()
    if time.time() - int(data.get("t", 0)) < settings.PUBLIC_MIN_FILL_SECONDS:
        return Held.TOO_FAST
    return ""


# --- what the forms call -----------------------------------------------------------------------


def guard_context(request) -> dict:
    """What `public/_guard.html` needs: a fresh challenge, its difficulty, the honeypot's name."""
    return {
        "guard": {
            "challenge": challenge_new(),
            "bits": settings.PUBLIC_POW_BITS,
            "honeypot": HONEYPOT,
            "challenge_field": CHALLENGE_FIELD,
            "nonce_field": NONCE_FIELD,
        }
    }


def check(request, *, form: str, phone: str = "") -> Verdict:
    """Judge one public form sent in `request` (`form` names it: "concern", "preregistration").
    Rate limits per address and per phone refuse; a filled honeypot, a missing, wrong, expired or
    reused proof of work, or a form sent too fast, hold it for a moderator."""
    refused = _(
        "Too many forms were sent from this connection or for this phone. Try again in an hour."
    )
    if over_limit(f"{form}:addr:{client_hash(request)}", settings.PUBLIC_RATE_PER_ADDRESS):
        return Verdict(refused=refused)
    if phone and over_limit(f"{form}:phone:{phone_hash(phone)}", settings.PUBLIC_RATE_PER_PHONE):
        return Verdict(refused=refused)
    if request.POST.get(HONEYPOT, "").strip():
        return Verdict(held=Held.HONEYPOT)
    return Verdict(
        held=_proof_held(
            request.POST.get(CHALLENGE_FIELD, "").strip(), request.POST.get(NONCE_FIELD, "").strip()
        )
    )
