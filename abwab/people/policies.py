"""How people-app models are scoped (see abwab.core.scope)."""

from abwab.core.roles import PERSONAL_DATA_READERS, SECRETARIES, Role
from abwab.core.scope import Policy, register
from abwab.people.models import (
    Consent,
    DuplicateCluster,
    ImportBatch,
    Mandate,
    Membership,
    Person,
    PersonMerge,
    Position,
)

# Volunteers see only the people their office's door desk registered; media officers see no names.
register(
    Person,
    Policy(
        path="territory__path",
        view=PERSONAL_DATA_READERS | {Role.VOLUNTEER},
        change=SECRETARIES,
        office="office",
    ),
)
register(
    Membership,
    Policy(
        path="territory__path",
        view=PERSONAL_DATA_READERS | {Role.VOLUNTEER},
        change=SECRETARIES,
        office="office",
    ),
)
register(
    Consent, Policy(path="person__territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES)
)
register(
    Position,
    Policy(
        path="body__territory__path",
        view=PERSONAL_DATA_READERS,
        change=SECRETARIES,
        unit="body__party_unit",
    ),
)
register(Mandate, Policy(path="territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES))
register(
    DuplicateCluster, Policy(path="territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES)
)
register(
    PersonMerge,
    Policy(path="survivor__territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES),
)
register(
    ImportBatch, Policy(path="territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES)
)
