"""How the public app's models are scoped (see abwab.core.scope). A held submission carries a
citizen's name and phone: the secretaries of its commune and above moderate it, auditors may read."""

from abwab.core.roles import PERSONAL_DATA_READERS, SECRETARIES
from abwab.core.scope import Policy, register
from abwab.public.models import PublicSubmission

register(
    PublicSubmission,
    Policy(path="territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES),
)
