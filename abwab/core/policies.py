"""How core models are scoped (see abwab.core.scope)."""

from abwab.core.models import AuditEntry, Job
from abwab.core.roles import PERSONAL_DATA_READERS, SECRETARIES, Role
from abwab.core.scope import Policy, register, roles

register(Job, Policy(path="territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES))
# Auditors (and the national administrator) search the log of their subtree; nobody changes it.
AUDIT_READERS = frozenset({Role.AUDITOR, Role.NATIONAL_ADMIN})
register(AuditEntry, Policy(path="territory__path", view=AUDIT_READERS))


def may_read_audit(user) -> bool:
    """Whether the audit log page opens for the user (and the menu links to it)."""
    return bool(roles(user) & AUDIT_READERS)
