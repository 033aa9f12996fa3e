"""What each kind of body expects, and where each elected institution sits in the tree."""

from abwab.people.models import Function, Institution, MandateRole
from abwab.territory.models import BodyKind, Level

# Functions a body of each kind should have filled: an empty one shows as a vacancy.
EXPECTED: dict[str, tuple[str, ...]] = {
    BodyKind.NATIONAL_SECRETARIAT: (
        Function.SECRETARY_GENERAL,
        Function.DEPUTY_SECRETARY,
        Function.TREASURER,
    ),
    BodyKind.REGIONAL_SECRETARIAT: (
        Function.REGIONAL_SECRETARY,
        Function.DEPUTY_SECRETARY,
        Function.TREASURER,
    ),
    BodyKind.PROVINCIAL_SECRETARIAT: (
        Function.PROVINCIAL_SECRETARY,
        Function.DEPUTY_SECRETARY,
        Function.TREASURER,
    ),
    BodyKind.LOCAL_SECRETARIAT: (
        Function.LOCAL_SECRETARY,
        Function.DEPUTY_SECRETARY,
        Function.TREASURER,
    ),
    BodyKind.NATIONAL_COUNCIL: (Function.PRESIDENT, Function.VICE_PRESIDENT),
    BodyKind.REGIONAL_COUNCIL: (Function.PRESIDENT, Function.VICE_PRESIDENT),
    BodyKind.PROVINCIAL_COUNCIL: (Function.PRESIDENT, Function.VICE_PRESIDENT),
    BodyKind.WOMENS_ORGANISATION: (Function.PRESIDENT, Function.VICE_PRESIDENT),
    BodyKind.YOUTH_ORGANISATION: (Function.PRESIDENT, Function.VICE_PRESIDENT),
    BodyKind.COUNCIL_GROUP: (Function.GROUP_HEAD,),
    BodyKind.MEDIA_OFFICE: (Function.DIRECTOR, Function.SPOKESPERSON),
    BodyKind.ADMINISTRATION: (Function.DIRECTOR,),
}

# Functions held by one person at a time in a body (deputies and members may be several; a regional
# secretariat also seats several provincial secretaries).
SINGLE_HOLDER = frozenset(
    {
        Function.SECRETARY_GENERAL,
        Function.PRESIDENT,
        Function.TREASURER,
        Function.GROUP_HEAD,
        Function.SPOKESPERSON,
    }
)
# The head function of a secretariat is single in that secretariat only.
HEAD_OF = {
    BodyKind.NATIONAL_SECRETARIAT: Function.SECRETARY_GENERAL,
    BodyKind.REGIONAL_SECRETARIAT: Function.REGIONAL_SECRETARY,
    BodyKind.PROVINCIAL_SECRETARIAT: Function.PROVINCIAL_SECRETARY,
    BodyKind.LOCAL_SECRETARIAT: Function.LOCAL_SECRETARY,
    BodyKind.MEDIA_OFFICE: Function.DIRECTOR,
    BodyKind.ADMINISTRATION: Function.DIRECTOR,
}


def expected_functions(kind: str) -> tuple[str, ...]:
    return EXPECTED.get(kind, ())


def is_single(kind: str, function: str) -> bool:
    """Whether only one person may hold `function` at a time in a body of this kind."""
    return function in SINGLE_HOLDER or HEAD_OF.get(kind) == function


# The levels of the tree an institution's seat may be at (a House of Representatives seat is a
# local constituency, a province or prefecture, or the national list).
INSTITUTION_LEVELS: dict[str, frozenset[int]] = {
    Institution.COMMUNAL_COUNCIL: frozenset({Level.COMMUNE, Level.ARRONDISSEMENT}),
    Institution.PROVINCIAL_COUNCIL: frozenset({Level.PROVINCE}),
    Institution.REGIONAL_COUNCIL: frozenset({Level.REGION}),
    Institution.PARLIAMENT: frozenset({Level.PROVINCE, Level.NATION}),
    Institution.COUNCILLORS: frozenset({Level.REGION, Level.NATION}),
    Institution.GOVERNMENT: frozenset({Level.NATION}),
}
# Roles an institution has; a minister sits only in the government.
INSTITUTION_ROLES: dict[str, frozenset[str]] = {
    institution: frozenset(MandateRole) - {MandateRole.MINISTER}
    for institution in Institution
    if institution != Institution.GOVERNMENT
} | {Institution.GOVERNMENT: frozenset({MandateRole.PRESIDENT, MandateRole.MINISTER})}
# One president per council (or house) at a time.
SINGLE_ROLES = frozenset({MandateRole.PRESIDENT})
