"""Stable error codes of the API; every error answers {"code": ..., "message": ...}."""

from enum import StrEnum


class ErrorCode(StrEnum):
    NOT_FOUND = "not_found"
    UNAUTHENTICATED = "unauthenticated"
    INVALID_INPUT = "invalid_input"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    FORBIDDEN = "forbidden"
