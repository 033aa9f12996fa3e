"""API of office holders and mandates: who holds what, appointing, ending terms, mandates.

Every id in a path or a body goes through the scope gate: a body, person, position, mandate or
territory outside the caller's subtree answers 404 as if it did not exist. Volunteers and media
officers read no office holders (404). Writes are audited like the screens'.
"""

from django.db import transaction
from django.http import Http404
from ninja import Router, Schema, Status

from abwab.api.errors import responses
from abwab.api.schemas import Input
from abwab.api.types import Day
from abwab.core.audit import audit
from abwab.core.scope import CHANGE, get_visible_or_404, territories_where, territory_or_404
from abwab.people.models import Mandate, Person, Position
from abwab.people.officials import selectors, services
from abwab.territory.models import Body

router = Router(tags=["officials"])


class PositionOut(Schema):
    id: int
    body_id: int
    person_id: int
    person_name_ar: str
    person_name_latin: str
    gender: str
    function: str
    # Arabic with the article (الأمين الجهوي), French bare for an apposition (secrétaire régional).
    title_ar: str
    title_fr: str
    starts_on: Day
    ends_on: Day | None

    @staticmethod
    def resolve_person_name_ar(obj) -> str:
        return obj.person.name_ar

    @staticmethod
    def resolve_person_name_latin(obj) -> str:
        return obj.person.name_latin

    @staticmethod
    def resolve_gender(obj) -> str:
        return obj.person.gender

    @staticmethod
    def resolve_title_ar(obj) -> str:
        return _title(obj, "ar")

    @staticmethod
    def resolve_title_fr(obj) -> str:
        return _title(obj, "fr")


class MandateOut(PositionOut):
    body_id: int | None = None
    institution: str
    role: str
    territory_code: str

    @staticmethod
    def resolve_body_id(obj) -> None:
        return None

    @staticmethod
    def resolve_function(obj) -> str:
        return obj.role

    @staticmethod
    def resolve_territory_code(obj) -> str:
        return obj.territory.code


def _title(term, language: str) -> str:
    from abwab.people.titles import function_title, mandate_title

    gender, definite = term.person.gender, language == "ar"
    if isinstance(term, Mandate):
        return mandate_title(
            term.institution, term.role, language=language, gender=gender, definite=definite
        )
    return function_title(term.function, language=language, gender=gender, definite=definite)


class BodyTermsOut(Schema):
    body_id: int
    current: list[PositionOut]
    vacancies: list[str]
    past: list[PositionOut]


class OfficialOut(Schema):
    kind: str
    function: str
    institution: str
    person_id: int
    person_name_ar: str
    person_name_latin: str
    gender: str
    title_ar: str
    title_fr: str
    body_id: int | None
    territory_code: str
    starts_on: Day
    ends_on: Day | None
    record_id: int


class PersonTermsOut(Schema):
    positions: list[PositionOut]
    mandates: list[MandateOut]


class AppointIn(Input):
    body_id: int
    person_id: int
    function: str
    starts_on: Day
    ends_on: Day | None = None


class EndIn(Input):
    ends_on: Day | None = None


class MandateIn(Input):
    person_id: int
    institution: str
    role: str
    territory_code: str
    starts_on: Day
    ends_on: Day | None = None


def _require_reader(request) -> None:
    if not selectors.may_read_officials(request.user):
        raise Http404


@router.get("/", response=responses({200: list[OfficialOut]}))
def list_officials(request, territory: str = "", on: Day | None = None):
    """Positions and mandates in force on a day (today by default) at and below a territory (the
    caller's top node by default), by rank: the selector `officials_for`."""
    _require_reader(request)
    node = territory_or_404(request.user, territory or None)
    audit(request, "read_list", model=Position)
    return [
        OfficialOut(
            kind=o.kind,
            function=o.function,
            institution=o.institution,
            person_id=o.person.pk,
            person_name_ar=o.person.name_ar,
            person_name_latin=o.person.name_latin,
            gender=o.person.gender,
            title_ar=o.title("ar"),
            title_fr=o.title("fr", definite=False),
            body_id=o.body.pk if o.body else None,
            territory_code=o.territory.code,
            starts_on=o.starts_on,
            ends_on=o.ends_on,
            record_id=o.record.pk,
        )
        for o in selectors.officials_for(node, on, actor=request.user)
    ]


@router.get("/bodies/{body_id}", response=responses({200: BodyTermsOut}))
def get_body_terms(request, body_id: int, on: Day | None = None):
    """A body's current office holders, its vacancies (functions its kind expects) and past terms."""
    _require_reader(request)
    body = get_visible_or_404(request.user, Body, pk=body_id)
    terms = selectors.body_terms(actor=request.user, body=body, on=on)
    audit(request, "read", body)
    return {
        "body_id": body.pk,
        "current": terms.current,
        "vacancies": terms.vacancies,
        "past": terms.past,
    }


@router.get("/people/{person_id}", response=responses({200: PersonTermsOut}))
def get_person_terms(request, person_id: int):
    """A person's positions and mandates, running ones first."""
    _require_reader(request)
    person = get_visible_or_404(request.user, Person.objects.live(), pk=person_id)
    positions, mandates = selectors.person_terms(actor=request.user, person=person)
    audit(request, "read", person)
    return {"positions": positions, "mandates": mandates}


@router.post("/positions", response=responses({201: PositionOut}))
def appoint(request, payload: AppointIn):
    """Appoint a person (by id, in the caller's subtree) to a function in a body."""
    _require_reader(request)
    with transaction.atomic():
        body = get_visible_or_404(request.user, Body, CHANGE, pk=payload.body_id)
        person = get_visible_or_404(
            request.user, Person.objects.live(), CHANGE, pk=payload.person_id
        )
        position = services.position_appoint(
            actor=request.user,
            person=person,
            body=body,
            function=payload.function,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
        )
        audit(request, "position_appoint", position)
    return Status(201, position)


@router.post("/positions/{position_id}/end", response=responses({200: PositionOut}))
def end_position(request, position_id: int, payload: EndIn):
    """End a term (today by default)."""
    _require_reader(request)
    position = get_visible_or_404(
        request.user, Position.objects.select_related("person"), CHANGE, pk=position_id
    )
    services.position_end(actor=request.user, position=position, ends_on=payload.ends_on)
    audit(request, "position_end", position)
    return position


@router.post("/mandates", response=responses({201: MandateOut}))
def enter_mandate(request, payload: MandateIn):
    """Enter an elected mandate for a person in the caller's subtree, at a territory in it."""
    _require_reader(request)
    with transaction.atomic():
        territory = get_visible_or_404(
            request.user,
            territories_where(request.user, Mandate, CHANGE),
            code=payload.territory_code,
        )
        person = get_visible_or_404(
            request.user, Person.objects.live(), CHANGE, pk=payload.person_id
        )
        mandate = services.mandate_enter(
            actor=request.user,
            person=person,
            institution=payload.institution,
            role=payload.role,
            territory=territory,
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
        )
        audit(request, "mandate_enter", mandate)
    return Status(201, mandate)


@router.post("/mandates/{mandate_id}/end", response=responses({200: MandateOut}))
def end_mandate(request, mandate_id: int, payload: EndIn):
    """End an elected mandate (today by default)."""
    _require_reader(request)
    mandate = get_visible_or_404(
        request.user, Mandate.objects.select_related("person", "territory"), CHANGE, pk=mandate_id
    )
    services.mandate_end(actor=request.user, mandate=mandate, ends_on=payload.ends_on)
    audit(request, "mandate_end", mandate)
    return mandate
