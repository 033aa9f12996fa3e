"""Stable error codes of the API; every error answers {"code": ..., "message": ...}."""

from enum import StrEnum

from ninja import Schema


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    UNAUTHENTICATED = "unauthenticated"
    INVALID_INPUT = "invalid_input"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    FORBIDDEN = "forbidden"
    SECOND_FACTOR_REQUIRED = "second_factor_required"  # a session that typed only the password


class ErrorOut(Schema):
    """The shape of every error answer."""

    code: str
    message: str
    fields: dict | None = None
    detail: list | None = None


# Every operation may answer these besides its success.
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def responses(success: dict) -> dict:
    """An operation's documented answers: its successes and the common errors."""
    return {**success, **ERRORS}
