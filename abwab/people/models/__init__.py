"""Persons, their memberships and consents (law 09-08), positions and mandates, duplicates, imports."""

from abwab.people.models.duplicates import ClusterStatus, DuplicateCluster, PersonMerge
from abwab.people.models.imports import ImportBatch, ImportRow, ImportStatus, RowStatus
from abwab.people.models.memberships import (
    CardSequence,
    Consent,
    ConsentChannel,
    ConsentMedium,
    ConsentPurpose,
    Membership,
    MembershipChange,
    MembershipStatus,
)
from abwab.people.models.officials import (
    FUNCTION_RANK,
    Function,
    Institution,
    Mandate,
    MandateRole,
    Position,
)
from abwab.people.models.persons import Education, Gender, Person, PersonQuerySet, Skill
from abwab.people.models.tallies import Breakdown, JoinTally, MemberTally

__all__ = [
    "FUNCTION_RANK",
    "Breakdown",
    "CardSequence",
    "ClusterStatus",
    "Consent",
    "ConsentChannel",
    "ConsentMedium",
    "ConsentPurpose",
    "DuplicateCluster",
    "Education",
    "Function",
    "Gender",
    "ImportBatch",
    "ImportRow",
    "ImportStatus",
    "JoinTally",
    "Institution",
    "Mandate",
    "MandateRole",
    "MemberTally",
    "Membership",
    "MembershipChange",
    "MembershipStatus",
    "Person",
    "PersonMerge",
    "PersonQuerySet",
    "Position",
    "RowStatus",
    "Skill",
]
