"""Reads of the meetings app: local-branch coverage, decision follow-up."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from abwab.core.scope import VIEW, can, visible_to
from abwab.meetings.models import Decision, DecisionStatus, Meeting, Presence
from abwab.territory.models import BodyKind, Kind, Level, Territory

COMMUNE_KINDS = (Kind.URBAN_COMMUNE, Kind.RURAL_COMMUNE)


@dataclass
class CoverageRow:
    territory: Territory
    communes: int
    covered: int

    @property
    def percent(self) -> int:
        return int(100 * self.covered / self.communes) if self.communes else 0


def _coverage_of(node: Territory) -> CoverageRow:
    communes = Territory.objects.filter(path__startswith=node.path, kind__in=COMMUNE_KINDS)
    counts = communes.aggregate(
        total=Count("pk", distinct=True),
        covered=Count("pk", filter=Q(bodies__kind=BodyKind.LOCAL_SECRETARIAT), distinct=True),
    )
    return CoverageRow(node, counts["total"], counts["covered"])


def coverage(*, actor, territory: Territory) -> list[CoverageRow]:
    """Share of communes with a local secretariat, for each child of a territory (an aggregate)."""
    if not can(actor, VIEW, territory):
        raise PermissionDenied
    # A region's rows are its provinces, a province's its communes (arrondissements are counted
    # within their commune; Casablanca's prefectures of arrondissements would count them twice).
    children = visible_to(
        actor,
        territory.children.filter(level__lte=Level.COMMUNE).exclude(
            kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS
        ),
    )
    return [_coverage_of(child) for child in children.order_by("name_fr")]


def coverage_total(*, actor, territory: Territory) -> CoverageRow:
    """The territory's own coverage: its communes, those with a local secretariat."""
    if not can(actor, VIEW, territory):
        raise PermissionDenied
    return _coverage_of(territory)


def communes_without_secretariat(*, actor, territory: Territory) -> QuerySet[Territory]:
    """The communes of a territory still without a local secretariat."""
    if not can(actor, VIEW, territory):
        raise PermissionDenied
    communes = Territory.objects.filter(path__startswith=territory.path, kind__in=COMMUNE_KINDS)
    return communes.exclude(bodies__kind=BodyKind.LOCAL_SECRETARIAT).order_by("name_fr")


def decision_board(*, actor, territory: Territory | None = None) -> dict[str, list[Decision]]:
    """Open, late and done decisions the actor may follow, optionally under one territory."""
    decisions = Decision.objects.select_related(
        "meeting__body", "territory", "owner_person", "owner_body"
    ).prefetch_related("updates")
    if territory is not None:
        decisions = decisions.filter(territory__path__startswith=territory.path)
    decisions = visible_to(actor, decisions)
    today = timezone.localdate()
    board: dict[str, list[Decision]] = {"late": [], "open": [], "done": []}
    for decision in decisions[:500]:
        if decision.status in (DecisionStatus.DONE, DecisionStatus.CANCELLED):
            board["done"].append(decision)
        elif decision.due_on and decision.due_on < today:
            board["late"].append(decision)
        else:
            board["open"].append(decision)
    return board


def attendance_title(attendance, language: str) -> str:
    """The function or mandate an attendee came as, as a title agreeing with them ("" for a guest)."""
    from abwab.meetings.communique import _title

    return _title(
        attendance,
        language,
        gender=attendance.person.gender,
        definite=language == "ar",  # الأمين الجهوي; secrétaire régional
        meeting=attendance.meeting,
    )


@dataclass
class Candidate:
    """Someone the meeting may invite, with what they would be invited as."""

    kind: str  # "position" or "mandate"
    pk: int
    person: object
    title: str
    where: str
    invited: bool


def invitation_candidates(*, actor, meeting: Meeting, language: str) -> list[Candidate]:
    """Office holders of the body and of the bodies below it, and elected officials of its
    territory, in office on the meeting's day (abwab.people's officials_for, through the actor's
    scope); those already invited are marked."""
    from abwab.people.officials.selectors import officials_for

    day = timezone.localtime(meeting.starts_at).date()
    invited = set(meeting.attendances.values_list("person_id", flat=True))
    found = []
    for official in officials_for(meeting.body.territory, day, actor=actor)[:500]:
        where = official.body.party_unit if official.body and official.body.party_unit_id else None
        where = where or official.territory
        found.append(
            Candidate(
                official.kind,
                official.record.pk,
                official.person,
                official.title(language, definite=language == "ar"),
                where.name_fr if language == "fr" else where.name_ar,
                official.person.pk in invited,
            )
        )
    return found


@dataclass
class ClosingReport:
    present: int
    excused: int
    absent: int
    proxies: int
    members_present: int
    members: int
    quorum_reached: bool
    groups: int
    agenda: int
    decisions: int
    attachments: list


def closing_report(meeting: Meeting) -> ClosingReport:
    """What the meeting's record adds up to: attendees counted, agenda, decisions, documents."""
    from abwab.meetings.services import quorum

    counts = dict(meeting.attendances.values_list("presence").annotate(n=Count("pk")).order_by())
    members_present, members, reached = quorum(meeting)
    return ClosingReport(
        present=counts.get(Presence.PRESENT, 0),
        excused=counts.get(Presence.EXCUSED, 0),
        absent=counts.get(Presence.ABSENT, 0),
        proxies=meeting.attendances.filter(proxy__isnull=False).count(),
        members_present=members_present,
        members=members,
        quorum_reached=reached,
        groups=meeting.groups.count(),
        agenda=meeting.agenda.count(),
        decisions=meeting.decisions.count(),
        attachments=list(meeting.attachments.all()),
    )


def reads_attendees(user, meeting: Meeting) -> bool:
    """Whether the user may read the attendees as persons (secretaries, auditors), rather than only
    the names a communiqué publishes (the media office): asked of the gate, person by person."""
    from abwab.people.models import Person

    attendees = Person.objects.filter(pk__in=meeting.attendances.values("person_id"))
    return visible_to(user, attendees).exists()


def attendance_for(user, meeting: Meeting):
    """The attendance a user may read: all of it, or only who came or sent apologies (the names a
    communiqué publishes) for the media office."""
    attendances = meeting.attendances.select_related(
        "person", "represents", "represents_unit", "proxy", "meeting__body", "body__territory"
    )
    if not reads_attendees(user, meeting):
        attendances = attendances.filter(presence__in=[Presence.PRESENT, Presence.EXCUSED])
    return attendances
