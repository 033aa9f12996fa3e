"""Replay keys: a write sent again under the same key returns the first answer instead of acting twice.

One rule for every key, whether it comes as an `Idempotency-Key` header or as the `client_key` a
desk mints into each entry: a key belongs to the account that sent it. Another account's key is a
new request (it finds nothing), and a replay returns a record only if the scope gate still lets the
caller see it; otherwise it is refused with a message that says nothing of the record.

Header keys are kept in IdempotencyRecord; body keys are the `client_key` of the row they made,
unique per account (a database constraint). The write and the record of its answer commit
together, so a retry after a lost answer, or two copies racing, can only ever find one of them done.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.responses import Status

from abwab.accounts.models import IdempotencyRecord
from abwab.core.errors import ErrorCode
from abwab.core.scope import visible_to


class KeyReused(HttpError):
    pass


def _may_replay(actor, model: type[Model], pk) -> bool:
    """Whether the record a key made is still one the caller may see (the one scope gate)."""
    return visible_to(actor, model._default_manager.filter(pk=pk)).exists()


def replay(actor, queryset: QuerySet, key: str, *, by: str = "by") -> Model | None:
    """The record this account already made under the body key `key`, or None for a new request.

    Keys are per account: another account's identical key finds nothing. A record the account may
    no longer see is refused (code key_reused), never returned."""
    found = queryset.filter(**{by: actor, "client_key": key}).first()
    if found is not None and not _may_replay(actor, queryset.model, found.pk):
        raise ValidationError(_("This entry key was already used."), code=ErrorCode.KEY_REUSED)
    return found


def idempotent(request, write: Callable[[], tuple[int, dict]], *, model: type[Model]) -> Status:
    """Run `write` once per (account, Idempotency-Key); without a key, just run it. `model` is what
    the answer's "id" names, checked again by the scope gate before a replay."""
    return Status(*_once(request, write, model))


def _once(request, write: Callable[[], tuple[int, dict]], model: type[Model]) -> tuple[int, dict]:
    key = request.headers.get("Idempotency-Key", "").strip()[:100]
    if not key:
        return write()
    found = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
    if found is not None:
        return _replay(request, found, model)
    try:
        with transaction.atomic():
            status, body = write()
            IdempotencyRecord.objects.create(
                user=request.user,
                key=key,
                method=request.method,
                path=request.path,
                status=status,
                body=body,
            )
    except IntegrityError:
        found = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
        if found is None:
            raise
        return _replay(request, found, model)
    return status, body


def _replay(request, record: IdempotencyRecord, model: type[Model]) -> tuple[int, dict]:
    if (record.method, record.path) != (request.method, request.path):
        raise KeyReused(422, _("This Idempotency-Key was already used for another request."))
    if not _may_replay(request.user, model, record.body.get("id")):
        raise KeyReused(422, _("This Idempotency-Key was already used."))
    return record.status, record.body
