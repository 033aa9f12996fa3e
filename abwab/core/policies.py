"""How core models are scoped (see abwab.core.scope)."""

from abwab.core.models import Job
from abwab.core.roles import PERSONAL_DATA_READERS, SECRETARIES
from abwab.core.scope import Policy, register

register(Job, Policy(path="territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES))
