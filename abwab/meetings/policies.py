"""How meetings-app models are scoped (see abwab.core.scope)."""

from abwab.core.roles import PERSONAL_DATA_READERS, SECRETARIES, Role
from abwab.core.scope import Policy, register
from abwab.meetings.models import (
    Attachment,
    Communique,
    Decision,
    Founding,
    Meeting,
    Programme,
)

# Media officers see their territory's meetings (the pages show them only what a communiqué
# publishes: names, functions, places, agenda and decisions), to write and check communiqués.
register(
    Meeting,
    Policy(
        path="body__territory__path",
        view=PERSONAL_DATA_READERS | {Role.MEDIA_OFFICER},
        change=SECRETARIES,
        unit="body__party_unit",
    ),
)
# A decision is followed where it applies: the level it concerns sees it, and every level above.
register(Decision, Policy(path="territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES))
register(
    Programme,
    Policy(
        path="territory__path",
        view=PERSONAL_DATA_READERS | {Role.MEDIA_OFFICER},
        change=SECRETARIES,
    ),
)
# The media office drafts and publishes communiqués; published ones are public (abwab.meetings.public).
register(
    Communique,
    Policy(
        path="meeting__body__territory__path",
        view=PERSONAL_DATA_READERS | {Role.MEDIA_OFFICER},
        change=SECRETARIES | {Role.MEDIA_OFFICER},
        unit="meeting__body__party_unit",
    ),
)
register(
    Attachment,
    Policy(
        path="meeting__body__territory__path",
        view=PERSONAL_DATA_READERS,
        change=SECRETARIES,
        unit="meeting__body__party_unit",
    ),
)
# A founding names its founders: secretaries and auditors of the commune's subtree read it.
register(Founding, Policy(path="commune__path", view=PERSONAL_DATA_READERS, change=SECRETARIES))
