"""How the audit log page names what it records: actions and object types as words of the reader's
language, never as the codes stored in the log (`read_list`, `people.Person`, `communique.publish`).

An action is stored as `verb` or `subject.verb`; the object column already says what the subject
is, so the page shows the verb. A code nobody taught this module shows as a generic "other action"
(with the code in a title attribute for the curious), not as the code.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

VERBS = {
    # recorded by the middleware and the views that show personal data
    "write": _("change"),
    "read": _("consultation"),
    "read_list": _("list consultation"),
    "export": _("export"),
    "anonymise": _("anonymisation"),
    # accounts
    "auth_throttled": _("sign-in blocked after too many attempts"),
    "login_failed": _("failed sign-in"),
    "code_failed": _("wrong authenticator code"),
    "recheck_failed": _("failed password re-check"),
    "use": _("use"),
    "revoke": _("revocation"),
    # people
    "person_create": _("person recorded"),
    "body_create": _("body created"),
    "body_update": _("body changed"),
    "mandate_enter": _("mandate recorded"),
    "mandate_end": _("mandate ended"),
    "position_appoint": _("appointment"),
    "position_end": _("end of a position"),
    # generic verbs of `subject.verb` codes
    "create": _("creation"),
    "update": _("update"),
    "delete": _("deletion"),
    "open": _("opening"),
    "plan": _("planning"),
    "copy": _("copy"),
    "record": _("record"),
    "cancel": _("cancellation"),
    "add_founder": _("founder added"),
    "new_founder": _("founder added"),
    "remove_founder": _("founder removed"),
    "draft": _("draft"),
    "save": _("draft saved"),
    "submit": _("submitted for approval"),
    "approve": _("approval"),
    "send_back": _("sent back"),
    "publish": _("publication"),
    "channel": _("publication channel"),
    "acknowledge": _("acknowledgement"),
    "goal": _("goal"),
    "item": _("readiness item"),
    "items": _("readiness items"),
    "readiness": _("readiness"),
    "split": _("target split"),
    "draft_campaign": _("back to draft"),
    "launched": _("launch"),
    "closed": _("closing"),
    # messaging (issue 16): a send queued, paused, resumed (who, to how many, which list)
    "send": _("messages sent"),
    "pause": _("sending paused"),
    "resume": _("sending resumed"),
    # command line
    "backup": _("backup"),
    "restore": _("restore"),
}
OTHER = _("other action")


def action_verb(code: str) -> str:
    """The verb of an action code: `campaign.launched` -> `launched`, `read` -> `read`."""
    return code.rpartition(".")[2]


def action_label(code: str) -> str:
    """The translated name of an audit action code."""
    if code == "campaign.draft":
        return str(VERBS["draft_campaign"])
    return str(VERBS.get(code) or VERBS.get(action_verb(code)) or OTHER)


def object_label(object_type: str) -> str:
    """The translated name of a logged model (`people.Person` -> its verbose name), else ""."""
    if not object_type:
        return ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return ""
    return str(model._meta.verbose_name)


def action_choices(codes) -> list[tuple[str, str]]:
    """(verb, label) pairs for a filter menu, one per verb of the given codes, sorted by label."""
    verbs = {action_verb(code): action_label(code) for code in codes}
    return sorted(verbs.items(), key=lambda pair: pair[1])
