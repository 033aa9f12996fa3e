"""How core models are scoped (see abwab.core.scope)."""

from abwab.core.models import AuditEntry, Job
from abwab.core.roles import PERSONAL_DATA_READERS, SECRETARIES, Role
from abwab.core.scope import Policy, register

register(Job, Policy(path="territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES))
# Auditors (and the national administrator) search the log of their subtree; nobody changes it.
register(
    AuditEntry, Policy(path="territory__path", view=frozenset({Role.AUDITOR, Role.NATIONAL_ADMIN}))
)
