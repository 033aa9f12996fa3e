"""How messaging models are scoped (see abwab.core.scope): a send belongs to its territory."""

from abwab.core.roles import PERSONAL_DATA_READERS, SECRETARIES
from abwab.core.scope import Policy, register
from abwab.messaging.models import Message, Send

# Who was written to, and what: personal data, read by the secretaries and auditors of the subtree.
register(Send, Policy(path="territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES))
register(
    Message, Policy(path="send__territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES)
)
