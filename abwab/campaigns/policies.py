"""How campaign-app models are scoped (see abwab.core.scope)."""

from django.db.models import Q

from abwab.campaigns.models import (
    Campaign,
    CampaignAcknowledgement,
    CampaignDocument,
    CampaignItem,
    CheckIn,
    Event,
    EventStatus,
    LocalGoal,
    MemoReading,
    ReadinessItem,
    Target,
)
from abwab.core.roles import ALL_ROLES, PERSONAL_DATA_READERS, SECRETARIES, Role
from abwab.core.scope import Policy, register

ADMIN = frozenset({Role.NATIONAL_ADMIN})
OPEN_ONLY = Q(status=EventStatus.OPEN)

register(Campaign, Policy(path="territory__path", view=ALL_ROLES, change=ADMIN, from_below=True))
register(
    Target,
    Policy(
        path="territory__path",
        view=ALL_ROLES - {Role.VOLUNTEER},
        change=SECRETARIES,
        unit="party_unit",
    ),
)
# A volunteer reaches only their own office's event, and only while it is open.
register(
    Event,
    Policy(
        path="office__territory__path",
        view=ALL_ROLES,
        change=SECRETARIES,
        office="office",
        office_condition=OPEN_ONLY,
        event="pk",
    ),
)
register(
    ReadinessItem,
    Policy(
        path="event__office__territory__path", view=ALL_ROLES - {Role.VOLUNTEER}, change=SECRETARIES
    ),
)
register(
    CheckIn,
    Policy(
        path="office__territory__path",
        view=PERSONAL_DATA_READERS | {Role.VOLUNTEER},
        change=SECRETARIES | {Role.VOLUNTEER},
        office="office",
        office_condition=Q(event__status=EventStatus.OPEN),
        event="event",
    ),
)
register(
    CampaignAcknowledgement,
    Policy(
        path="territory__path",
        view=ALL_ROLES - {Role.VOLUNTEER},
        change=SECRETARIES,
        unit="party_unit",
    ),
)
# A province's own goals are read by the communes below it too.
register(
    LocalGoal,
    Policy(
        path="territory__path",
        view=ALL_ROLES - {Role.VOLUNTEER},
        change=SECRETARIES,
        unit="party_unit",
        from_below=True,
    ),
)
register(
    CampaignItem,
    Policy(path="campaign__territory__path", view=ALL_ROLES, change=ADMIN, from_below=True),
)
# The campaign's documents: read by everyone under it, added and removed by those who run it.
register(
    CampaignDocument,
    Policy(path="campaign__territory__path", view=ALL_ROLES, change=ADMIN, from_below=True),
)
# Who the memo went to and who read it: office holders' names, for the secretaries above them.
register(
    MemoReading,
    Policy(path="body__territory__path", view=PERSONAL_DATA_READERS, change=SECRETARIES),
)
