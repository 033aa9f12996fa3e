"""How listening-app models are scoped (see abwab.core.scope)."""

from django.db.models import Q

from abwab.core.roles import ALL_ROLES, PERSONAL_DATA_READERS, SECRETARIES, Role
from abwab.core.scope import Policy, register
from abwab.listening.models import Concern, Dossier

# Concerns carry a citizen's words and contact: secretaries, auditors, and the volunteer of the door
# where it was recorded while the event is open. Dossiers are aggregates: media officers see them too.
register(
    Concern,
    Policy(
        path="territory__path",
        view=PERSONAL_DATA_READERS | {Role.VOLUNTEER},
        change=SECRETARIES | {Role.VOLUNTEER},
        office="office",
        office_condition=Q(event__status="open"),
    ),
)
register(
    Dossier, Policy(path="territory__path", view=ALL_ROLES - {Role.VOLUNTEER}, change=SECRETARIES)
)
