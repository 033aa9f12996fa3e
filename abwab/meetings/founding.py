"""Founding a commune's local secretariat, from the coverage work list: its founding meeting
planned (date, place, the supervisor), founding members gathered, then recorded with the officers
elected; the commune is then covered (coverage = communes with a local secretariat / communes)."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from abwab.core.errors import ErrorCode
from abwab.core.scope import CHANGE, VIEW, can, can_add, require_change, visible_to
from abwab.meetings import services as meeting_services
from abwab.meetings.models import Founding, FoundingStatus, MeetingKind, Presence
from abwab.meetings.selectors import COMMUNE_KINDS, coverage
from abwab.people.models import Function, Person, Position
from abwab.people.officials.services import position_appoint
from abwab.territory.models import Body, BodyKind, Kind, Office, Territory
from abwab.territory.services import body_create

# The officers a founding meeting elects, in the order the form asks for them.
OFFICERS = (Function.LOCAL_SECRETARY, Function.DEPUTY_SECRETARY, Function.TREASURER)
# Who may supervise a founding: office holders of the secretariats above the commune.
SUPERVISING = (Function.PROVINCIAL_SECRETARY, Function.REGIONAL_SECRETARY, Function.MEMBER)


def _require_commune(commune: Territory) -> None:
    if commune.kind not in COMMUNE_KINDS:
        raise ValidationError(
            _("A local secretariat is founded in a commune."), code=ErrorCode.NOT_A_COMMUNE
        )


def _require_person(actor, person: Person) -> None:
    """A founder or officer is a live person the actor may change (in the actor's scope)."""
    if person.merged_into_id or person.anonymised_at or not can(actor, CHANGE, person):
        raise ValidationError(_("You cannot name this person."), code=ErrorCode.FORBIDDEN)


def _require_planned(founding: Founding) -> None:
    if founding.status != FoundingStatus.PLANNED:
        raise ValidationError(_("This founding is no longer planned."), code=ErrorCode.NOT_PLANNED)


@transaction.atomic
def founding_plan(
    *,
    actor,
    commune: Territory,
    starts_at: datetime.datetime,
    supervisor: Person | None = None,
    office: Office | None = None,
    place: str = "",
    place_fr: str = "",
) -> Founding:
    """Plan the founding meeting of a commune's local secretariat (one open plan per commune)."""
    if not can_add(actor, Founding, path=commune.path):
        raise ValidationError(_("You cannot found a secretariat here."), code=ErrorCode.FORBIDDEN)
    _require_commune(commune)
    Territory.objects.select_for_update().filter(pk=commune.pk).first()  # one plan at a time
    if Body.objects.filter(kind=BodyKind.LOCAL_SECRETARIAT, territory=commune).exists():
        raise ValidationError(
            _("%(commune)s already has a local secretariat.") % {"commune": commune},
            code=ErrorCode.EXISTS,
        )
    if Founding.objects.filter(commune=commune).exclude(status=FoundingStatus.CANCELLED).exists():
        raise ValidationError(
            _("The founding of this commune's secretariat is already planned."),
            code=ErrorCode.PLANNED,
        )
    if supervisor is not None and not can(actor, VIEW, supervisor):
        raise ValidationError(_("Unknown person."), code=ErrorCode.UNKNOWN_PERSON)
    if office is not None and not can(actor, VIEW, office):
        raise ValidationError(_("Unknown office."), code=ErrorCode.UNKNOWN_OFFICE)
    founding = Founding(
        commune=commune,
        starts_at=starts_at,
        supervisor=supervisor,
        office=office,
        place=place.strip(),
        place_fr=place_fr.strip(),
        planned_by=actor,
    )
    founding.full_clean()
    founding.save()
    return founding


@transaction.atomic
def founding_add_founder(*, actor, founding: Founding, person: Person) -> None:
    """Add a founding member (a person in the actor's scope) before the founding is recorded."""
    require_change(actor, founding, _("You cannot change this founding."))
    _require_planned(founding)
    _require_person(actor, person)
    founding.founders.add(person)


@transaction.atomic
def founding_remove_founder(*, actor, founding: Founding, person_id: int) -> None:
    """Take a founding member off the list before the founding is recorded."""
    require_change(actor, founding, _("You cannot change this founding."))
    _require_planned(founding)
    founding.founders.remove(*founding.founders.filter(pk=person_id))


@transaction.atomic
def founding_cancel(*, actor, founding: Founding, reason: str) -> Founding:
    """Call a planned founding off (the commune may then be planned again)."""
    require_change(actor, founding, _("You cannot change this founding."))
    _require_planned(founding)
    if not reason.strip():
        raise ValidationError(_("Say why the founding is cancelled."), code=ErrorCode.NO_REASON)
    founding.status, founding.cancelled_reason = FoundingStatus.CANCELLED, reason.strip()[:300]
    founding.save(update_fields=["status", "cancelled_reason"])
    return founding


@transaction.atomic
def founding_record(
    *,
    actor,
    founding: Founding,
    founded_on: datetime.date,
    officers: dict[str, Person],
) -> Body:
    """Record the founding meeting as held: the local secretariat is created, the officers elected
    take their positions from that day, the founders are recorded present; the commune is covered."""
    require_change(actor, founding, _("You cannot change this founding."))
    founding = Founding.objects.select_for_update().get(pk=founding.pk)
    _require_planned(founding)
    founders = list(founding.founders.all())
    if not founders:
        raise ValidationError(_("Add the founding members first."), code=ErrorCode.NO_FOUNDERS)
    if not officers.get(Function.LOCAL_SECRETARY):
        raise ValidationError(_("Name the local secretary elected."), code=ErrorCode.NO_SECRETARY)
    unknown = set(officers) - set(OFFICERS)
    if unknown:
        raise ValidationError(_("Unknown function."), code=ErrorCode.INVALID_FUNCTION)
    founder_ids = {person.pk for person in founders}
    for person in officers.values():
        if person.pk not in founder_ids:
            raise ValidationError(
                _("Officers are elected among the founding members."), code=ErrorCode.NOT_A_FOUNDER
            )
    for person in founders:
        _require_person(actor, person)
    commune = founding.commune
    body = body_create(
        actor=actor,
        kind=BodyKind.LOCAL_SECRETARIAT,
        territory=commune,
        name_ar=f"الأمانة المحلية {commune.name_ar}",
        name_fr=f"Secrétariat local {commune.name_fr}",
        founded_on=founded_on,
    )
    for function in OFFICERS:
        if officers.get(function):
            position_appoint(
                actor=actor,
                person=officers[function],
                body=body,
                function=function,
                starts_on=founded_on,
            )
    starts_at = timezone.localtime(founding.starts_at)
    if starts_at.date() != founded_on:
        starts_at = timezone.make_aware(datetime.datetime.combine(founded_on, starts_at.time()))
    meeting = meeting_services.meeting_plan(
        actor=actor,
        body=body,
        starts_at=starts_at,
        kind=MeetingKind.FOUNDING,
        office=founding.office,
        place=founding.place,
        place_fr=founding.place_fr,
        chair=officers[Function.LOCAL_SECRETARY],
    )
    for person in founders:
        if person.pk not in {p.pk for p in officers.values()}:
            meeting_services.attendance_invite(actor=actor, meeting=meeting, person=person)
    meeting.attendances.update(presence=Presence.PRESENT)
    meeting_services.meeting_hold(actor=actor, meeting=meeting)
    founding.status, founding.body, founding.meeting, founding.founded_on = (
        FoundingStatus.FOUNDED,
        body,
        meeting,
        founded_on,
    )
    founding.save(update_fields=["status", "body", "meeting", "founded_on"])
    return body


# Reads


@dataclass
class ProgressRow:
    """A child territory's founding programme: communes, covered, planned, still to plan."""

    territory: Territory
    communes: int
    covered: int
    planned: int

    @property
    def percent(self) -> int:
        return int(100 * self.covered / self.communes) if self.communes else 0

    @property
    def remaining(self) -> int:
        return max(self.communes - self.covered - self.planned, 0)


def founding_progress(*, actor, territory: Territory) -> list[ProgressRow]:
    """For each child of a territory: its communes, those covered, those with a founding planned."""
    rows = coverage(actor=actor, territory=territory)
    if not rows:
        return []
    planned = Founding.objects.filter(status=FoundingStatus.PLANNED)
    counts = {}
    for row in rows:
        counts[row.territory.pk] = planned.filter(
            commune__path__startswith=row.territory.path
        ).count()
    return [
        ProgressRow(row.territory, row.communes, row.covered, counts[row.territory.pk])
        for row in rows
    ]


@dataclass
class WorkItem:
    """A commune of the work list: its secretariat if founded, else its planned founding if any."""

    commune: Territory
    body: Body | None
    founding: Founding | None


def commune_worklist(*, actor, territory: Territory, limit: int = 300) -> list[WorkItem]:
    """The communes under a territory with what each still needs (an aggregate: no person named)."""
    if not can(actor, VIEW, territory):
        raise PermissionDenied
    communes = list(
        Territory.objects.filter(path__startswith=territory.path, kind__in=COMMUNE_KINDS)
        .exclude(kind=Kind.PREFECTURE_OF_ARRONDISSEMENTS)
        .order_by("name_fr")[:limit]
    )
    ids = [commune.pk for commune in communes]
    bodies = {
        body.territory_id: body
        for body in Body.objects.filter(
            kind=BodyKind.LOCAL_SECRETARIAT, territory_id__in=ids, party_unit__isnull=True
        )
    }
    foundings = {
        founding.commune_id: founding
        for founding in Founding.objects.filter(commune_id__in=ids).exclude(
            status=FoundingStatus.CANCELLED
        )
    }
    return [
        WorkItem(commune, bodies.get(commune.pk), foundings.get(commune.pk)) for commune in communes
    ]


def supervisors_for(*, actor, commune: Territory):
    """Persons who may supervise a commune's founding: current office holders of the secretariats
    of the province and region above it (and their members), as the actor may see them."""
    today = timezone.localdate()
    positions = Position.objects.filter(
        body__territory__code__in=commune.ancestor_codes(),
        body__kind__in=(BodyKind.PROVINCIAL_SECRETARIAT, BodyKind.REGIONAL_SECRETARIAT),
        function__in=SUPERVISING,
        starts_on__lte=today,
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    people = Person.objects.live().filter(pk__in=positions.values("person_id"))
    return visible_to(actor, people).order_by("pk")[:50]


def founders_to_add(*, actor, founding: Founding, query: str):
    """Persons in the actor's scope matching a name or CIN, not yet among the founders."""
    query = query.strip()
    if len(query) < 2:
        return []
    words = Q(cin__iexact=query.replace(" ", "").upper())
    for field in ("first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin"):
        words |= Q(**{f"{field}__icontains": query})
    people = visible_to(actor, Person.objects.live().filter(words), CHANGE)
    return people.exclude(pk__in=founding.founders.values("pk")).order_by("pk")[:20]


def planned_in(*, actor, territory: Territory):
    """Planned foundings under a territory, as the actor may see them (for calendars)."""
    foundings = Founding.objects.filter(
        commune__path__startswith=territory.path, status=FoundingStatus.PLANNED
    ).select_related("commune", "office")
    return visible_to(actor, foundings)


def counts_by_status(*, actor, territory: Territory) -> dict[str, int]:
    """Foundings under a territory by status (planned, founded)."""
    foundings = visible_to(actor, Founding.objects.filter(commune__path__startswith=territory.path))
    return dict(foundings.values_list("status").annotate(n=Count("pk")).order_by())
