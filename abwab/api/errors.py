"""The shape of the API's errors; every error answers {"code": ..., "message": ...}, its code a
member of abwab.core.errors.ErrorCode."""

from ninja import Schema

from abwab.core.errors import ErrorCode

__all__ = ["ERRORS", "ErrorCode", "ErrorOut", "responses"]


class ErrorOut(Schema):
    """The shape of every error answer."""

    code: ErrorCode  # the schema lists every code the API may answer
    message: str
    fields: dict | None = None
    detail: list | None = None


# Every operation may answer these besides its success.
ERRORS = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def responses(success: dict) -> dict:
    """An operation's documented answers: its successes and the common errors."""
    return {**success, **ERRORS}
