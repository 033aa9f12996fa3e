"""What becomes of a form citizens send from the public pages.

`receive` judges it (`abuse.check`), gives it a receipt number, and either hands it at once to
its kind's acceptor (which creates the pre-registration or the concern and links it) or holds it,
payload and all, for a moderator. `decide` is the moderator's approve or reject; either way the
payload is cleared, so the personal data lives only in the record it became.
"""

import secrets
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode
from abwab.core.scope import CHANGE, can, visible_to
from abwab.public import abuse
from abwab.public.models import PublicSubmission, SubmissionKind, SubmissionStatus

# Crockford's base32 without 0, O, 1 and I (nor L and U, which it leaves out already): nothing a
# citizen can misread when copying the number from a screen or saying it on the phone.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_LENGTH = 8  # 30**8 ≈ 6.6e11 numbers: unguessable at the look-up rate allowed

Acceptor = Callable[[PublicSubmission], None]
ACCEPTORS: dict[str, Acceptor] = {}


def register(kind: str, acceptor: Acceptor) -> None:
    """Declare what turns an accepted submission of `kind` into its record. The acceptor reads
    `submission.payload`, creates the record (raising ValidationError when it cannot) and sets the
    submission's link to it (`submission.preregistration` or `submission.concern`)."""
    ACCEPTORS[kind] = acceptor


def receipt_new() -> str:
    """A fresh receipt number, "XXXX-XXXX" (not yet checked for uniqueness)."""
    code = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))
    return f"{code[:4]}-{code[4:]}"


def receipt_normalise(raw: str) -> str:
    """A receipt number as typed (lower case, spaces, with or without its dash) in its stored
    form, or "" when it cannot be one."""
    text = "".join(c for c in (raw or "").upper() if c.isalnum())
    if len(text) != RECEIPT_LENGTH or any(c not in RECEIPT_ALPHABET for c in text):
        return ""
    return f"{text[:4]}-{text[4:]}"


def _accept(submission: PublicSubmission) -> None:
    acceptor = ACCEPTORS.get(submission.kind)
    if acceptor is None:
        raise ValidationError(
            _("This kind of form cannot be accepted."), code=ErrorCode.INVALID_KIND
        )
    acceptor(submission)
    submission.status = SubmissionStatus.ACCEPTED
    submission.payload = {}


def receive(request, *, kind: str, territory, phone: str, payload: dict) -> PublicSubmission:
    """Judge and keep one public form. Raises ValidationError (code THROTTLED) when a rate limit
    refuses it: nothing is saved then. Otherwise returns the submission, ACCEPTED with its record
    or HELD for a moderator; the caller shows its receipt number either way (a held form looks
    the same to its sender). `phone` is the E.164 number (from `abuse.plausible_phone`) or ""."""
    if kind not in SubmissionKind.values:
        raise ValidationError(
            _("This kind of form cannot be accepted."), code=ErrorCode.INVALID_KIND
        )
    verdict = abuse.check(request, form=kind, phone=phone)
    if verdict.refused:
        raise ValidationError(verdict.refused, code=ErrorCode.THROTTLED)
    for _attempt in range(5):
        submission = PublicSubmission(
            kind=kind,
            receipt=receipt_new(),
            status=SubmissionStatus.HELD,
            reason=verdict.held,
            payload=payload,
            territory=territory,
            client_hash=abuse.client_hash(request),
            phone_hash=abuse.phone_hash(phone),
        )
        try:
            with transaction.atomic():
                if not verdict.held:
                    _accept(submission)
                submission.save()
        except IntegrityError:
            if PublicSubmission.objects.filter(receipt=submission.receipt).exists():
                continue  # the number was taken (once in billions): draw another
            raise
        return submission
    raise RuntimeError("no free receipt number after five draws")


@transaction.atomic
def decide(actor, submission: PublicSubmission, approve: bool) -> PublicSubmission:
    """A moderator's decision on a held submission of their scope: approve runs its acceptor,
    reject drops it. Both clear the payload and record who decided and when."""
    submission = PublicSubmission.objects.select_for_update().get(pk=submission.pk)
    if not can(actor, CHANGE, submission):
        raise ValidationError(_("You cannot moderate this form."), code=ErrorCode.FORBIDDEN)
    if submission.status != SubmissionStatus.HELD:
        raise ValidationError(_("This form was already decided."), code=ErrorCode.NOT_HELD)
    if approve:
        _accept(submission)
    else:
        submission.status = SubmissionStatus.REJECTED
        submission.payload = {}
    submission.decided_at = timezone.now()
    submission.decided_by = actor
    submission.save()
    return submission


def moderation_panel(*, actor) -> dict | None:
    """The home page's panel: how many forms wait for this moderator (see abwab.core.home)."""
    held = PublicSubmission.objects.filter(status=SubmissionStatus.HELD)
    count = visible_to(actor, held, CHANGE).count()
    return {"count": count} if count else None
