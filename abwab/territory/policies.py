"""How territory-app models are scoped (see abwab.core.scope)."""

from abwab.core.roles import ALL_ROLES, SECRETARIES, Role
from abwab.core.scope import Policy, register
from abwab.territory.models import Body, Office, PartyUnit, Territory

register(Territory, Policy(path="path", view=ALL_ROLES, change=frozenset({Role.NATIONAL_ADMIN})))
register(
    PartyUnit,
    Policy(
        path="anchor__path",
        view=ALL_ROLES - {Role.VOLUNTEER},
        change=frozenset({Role.NATIONAL_ADMIN}),
        unit="pk",
    ),
)
register(Office, Policy(path="territory__path", view=ALL_ROLES, change=SECRETARIES, office="pk"))
register(
    Body,
    Policy(
        path="territory__path",
        view=ALL_ROLES - {Role.VOLUNTEER},
        change=SECRETARIES,
        unit="party_unit",
    ),
)
