"""Idempotency-Key for API writes: a repeated key returns the first answer instead of acting twice.

The write and the record of its answer commit together, so a retry after a lost answer, or two
copies racing, can only ever find one of them done.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.responses import Status

from abwab.accounts.models import IdempotencyRecord


class KeyReused(HttpError):
    pass


def idempotent(request, write: Callable[[], tuple[int, dict]]) -> Status:
    """Run `write` once per (user, Idempotency-Key); without a key, just run it."""
    return Status(*_once(request, write))


def _once(request, write: Callable[[], tuple[int, dict]]) -> tuple[int, dict]:
    key = request.headers.get("Idempotency-Key", "").strip()[:100]
    if not key:
        return write()
    found = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
    if found is not None:
        return _replay(request, found)
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
        return _replay(request, found)
    return status, body


def _replay(request, record: IdempotencyRecord) -> tuple[int, dict]:
    if (record.method, record.path) != (request.method, request.path):
        raise KeyReused(422, _("This Idempotency-Key was already used for another request."))
    return record.status, record.body
