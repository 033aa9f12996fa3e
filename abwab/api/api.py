"""The NinjaAPI instance: authentication (tokens or session), error shape, the apps' routers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.security import HttpBearer, SessionAuth

from abwab.accounts.tokens import token_user
from abwab.accounts.twofactor import second_factor_pending
from abwab.api.errors import ErrorCode
from abwab.api.idempotency import KeyReused
from abwab.core.errors import error_code


class TokenAuth(HttpBearer):
    """`Authorization: Bearer abw_…`: the token acts as its user, with the user's scope narrowed
    to the token's limit (a territory, an office, one event). Each use is audited once, when the
    request ends (core.audit.AuditMiddleware): the line names the token and is the line of what
    the request wrote, so a door entry costs one audit row, not two."""

    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
            request.abwab_token = user.api_token
        return user


class FullSessionAuth(SessionAuth):
    """A browser session, only once fully signed in: one that still owes its second factor is no
    login here either (the middleware already stops it; this holds should it ever be bypassed)."""

    def authenticate(self, request, key):
        if second_factor_pending(request):
            return None
        return super().authenticate(request, key)


api = NinjaAPI(
    title="Abwab API",
    version="1",
    auth=[TokenAuth(), FullSessionAuth()],
    urls_namespace="api",
    description="Members, offices, open-doors events, check-ins, concerns, meetings, decisions and reports. "
    "Every answer is limited to the caller's territory; writes accept an Idempotency-Key header.",
)


def _error(request, status: int, code: ErrorCode, message: str, **extra):
    return api.create_response(request, {"code": code, "message": message, **extra}, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    code = ErrorCode.NOT_FOUND
    return _error(request, code.status, code, str(code.message))


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    code = ErrorCode.NOT_FOUND  # what the caller may not see, they are not told exists
    return _error(request, code.status, code, str(code.message))


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    code = ErrorCode.UNAUTHENTICATED
    return _error(request, code.status, code, str(code.message))


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    fields = exc.message_dict if hasattr(exc, "error_dict") else {}
    code = error_code(
        getattr(exc, "code", None)
        or (
            exc.error_list[0].code
            if hasattr(exc, "error_list") and exc.error_list and exc.error_list[0].code
            else ErrorCode.INVALID_INPUT
        )
    )
    return _error(request, code.status, code, " ".join(exc.messages), fields=fields)


@api.exception_handler(SchemaError)
def schema_invalid(request, exc: SchemaError):
    code = ErrorCode.INVALID_INPUT
    return _error(request, code.status, code, str(code.message), detail=exc.errors)


@api.exception_handler(KeyReused)
def key_reused(request, exc: KeyReused):
    code = ErrorCode.IDEMPOTENCY_KEY_REUSED
    return _error(request, code.status, code, str(exc.message))


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    return _error(request, exc.status_code, ErrorCode.INVALID_INPUT, str(exc.message))


def _routers():
    from abwab.campaigns.api import router as campaigns
    from abwab.listening.api import router as listening
    from abwab.meetings.api import router as meetings
    from abwab.meetings.api_programmes import router as programmes
    from abwab.people.api import router as people
    from abwab.people.officials.api import router as officials
    from abwab.territory.api import router as territory

    api.add_router("/people", people)
    api.add_router("/officials", officials)
    api.add_router("/territory", territory)
    api.add_router("/campaigns", campaigns)
    api.add_router("/listening", listening)
    # Foundings, programmes of meetings and the calendar first: "/meetings/{meeting_id}" would
    # take "/meetings/foundings" for a meeting's id.
    api.add_router("/meetings", programmes)
    api.add_router("/meetings", meetings)


_routers()
