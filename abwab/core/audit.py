"""The audit log: every write (recorded by the middleware) and every read or export of personal
data (recorded by the views that show it), with who, what, when, from where and why."""

import getpass
import os

from django.utils.translation import gettext as _

from abwab.accounts.throttle import client_address
from abwab.core.models import AuditEntry
from abwab.core.scope import top_territory_id

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _territory_id(user, obj):
    """The object's territory, else the actor's top node: what decides which auditors see the line
    (the top node's id comes with the grants: no query)."""
    territory_id = getattr(obj, "territory_id", None)  # a foreign key: its node, not loaded
    if territory_id is not None:
        return territory_id
    territory = getattr(obj, "territory", None)
    return territory.pk if territory is not None else top_territory_id(user)


def audit(
    request, action: str, obj=None, *, model=None, count: int = 0, reason: str = ""
) -> AuditEntry:
    """Record one action of the request's user on an object (or on `count` rows of a model)."""
    user = request.user if request.user.is_authenticated else None
    request.abwab_audited = True  # the middleware need not add a generic "write" line
    kind = obj._meta.label if obj is not None else (model._meta.label if model is not None else "")
    return AuditEntry.objects.create(
        actor=user,
        actor_label=user.get_username() if user else _("anonymous"),
        action=action,
        object_type=kind,
        object_id=str(obj.pk) if obj is not None else "",
        count=count,
        method=request.method,
        path=request.path[:300],
        address=client_address(request),
        reason=reason[:300],
        territory_id=_territory_id(user, obj) if user else None,
    )


class AuditMiddleware:
    """Writes every successful change request of a logged-in user to the audit log, and one line
    for every request made with an API token (`request.abwab_token`, set by the API's
    authentication), whatever it did: the line names the token, the account, the method and the
    path, so for a write it is the write's line too (no second, generic "write" line)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        token = getattr(request, "abwab_token", None)
        if token is not None and user is not None and user.is_authenticated:
            audit(request, "api_token.use", token)
        elif (
            request.method in WRITE_METHODS
            and user is not None
            and user.is_authenticated
            and response.status_code < 400
        ):
            if not getattr(request, "abwab_audited", False) and not request.path.startswith(
                ("/i18n/", "/accounts/logout")
            ):
                audit(request, "write")
        return response


def audit_command(action: str, *, command: str, count: int = 0, reason: str = "") -> AuditEntry:
    """Record an action run from the command line (backups, restores): no signed-in user, so the
    line names the machine account that ran it and sits at the nation, for national auditors."""
    from abwab.territory.models import Territory
    from abwab.territory.sources import NATION_CODE

    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (some containers)
        account = str(os.getuid())
    return AuditEntry.objects.create(
        actor=None,
        actor_label=account[:150],
        action=action,
        method="CLI",
        path=command[:300],
        count=count,
        reason=reason[:300],
        territory=Territory.objects.filter(code=NATION_CODE).first(),
    )
