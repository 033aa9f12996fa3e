"""API of the territory app: offices, bodies and territory nodes in the caller's scope."""

from django.db.models import Q
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from abwab.api.errors import responses
from abwab.api.schemas import Input
from abwab.api.types import Day
from abwab.core.audit import audit
from abwab.core.scope import (
    CHANGE,
    get_visible_or_404,
    territories_where,
    territory_or_404,
    visible_to,
)
from abwab.territory.models import Body, BodyKind, Office, PartyUnit, Quorum, Territory
from abwab.territory.services import body_create, body_update

router = Router(tags=["territory"])


class TerritoryOut(Schema):
    id: int
    code: str
    kind: str
    name_ar: str
    name_fr: str
    population_2024: int | None


class OfficeOut(Schema):
    id: int
    name_ar: str
    name_fr: str
    address: str
    territory: TerritoryOut


@router.get("/offices", response=responses({200: list[OfficeOut]}))
@paginate
def list_offices(request):
    return visible_to(request.user, Office.objects.select_related("territory"))


@router.get("/offices/{office_id}", response=responses({200: OfficeOut}))
def get_office(request, office_id: int):
    return get_visible_or_404(
        request.user, Office.objects.select_related("territory"), pk=office_id
    )


@router.get("/nodes/{code}", response=responses({200: TerritoryOut}))
def get_node(request, code: str):
    return get_visible_or_404(request.user, Territory, code=code)


class BodyOut(Schema):
    id: int
    kind: str
    name_ar: str
    name_fr: str
    territory_code: str
    party_unit_code: str | None
    founded_on: Day | None
    quorum: str
    proxies_allowed: bool

    @staticmethod
    def resolve_territory_code(obj) -> str:
        return obj.territory.code

    @staticmethod
    def resolve_party_unit_code(obj) -> str | None:
        return obj.party_unit.code if obj.party_unit_id else None


class BodyIn(Input):
    kind: BodyKind
    territory_code: str = ""
    party_unit_code: str = ""
    name_ar: str
    name_fr: str
    founded_on: Day | None = None
    quorum: Quorum = Quorum.MAJORITY
    proxies_allowed: bool = False


@router.get("/bodies", response=responses({200: list[BodyOut]}))
@paginate
def list_bodies(request, territory: str = "", kind: str = ""):
    """Bodies at and below a territory (the caller's top node by default), optionally of one kind."""
    node = territory_or_404(request.user, territory or None)
    bodies = Body.objects.select_related("territory", "party_unit").filter(
        Q(territory__path__startswith=node.path)
    )
    if kind:
        bodies = bodies.filter(kind=kind)
    return visible_to(request.user, bodies)


@router.get("/bodies/{body_id}", response=responses({200: BodyOut}))
def get_body(request, body_id: int):
    return get_visible_or_404(
        request.user, Body.objects.select_related("territory", "party_unit"), pk=body_id
    )


@router.post("/bodies", response=responses({201: BodyOut}))
def create_body(request, payload: BodyIn):
    """Create a body at a node of the caller's subtree, or for a party unit (by its code)."""
    unit = (
        get_visible_or_404(request.user, PartyUnit, code=payload.party_unit_code)
        if payload.party_unit_code
        else None
    )
    territory = (
        unit.anchor
        if unit is not None
        else get_visible_or_404(
            request.user, territories_where(request.user, Body, CHANGE), code=payload.territory_code
        )
    )
    body = body_create(
        actor=request.user,
        kind=payload.kind,
        territory=territory,
        party_unit=unit,
        name_ar=payload.name_ar,
        name_fr=payload.name_fr,
        founded_on=payload.founded_on,
        quorum=payload.quorum,
        proxies_allowed=payload.proxies_allowed,
    )
    audit(request, "body_create", body)
    return Status(201, body)


class BodyPatch(Input):
    name_ar: str | None = None
    name_fr: str | None = None
    founded_on: Day | None = None
    quorum: Quorum | None = None
    proxies_allowed: bool | None = None


@router.patch("/bodies/{body_id}", response=responses({200: BodyOut}))
def update_body(request, body_id: int, payload: BodyPatch):
    """Change a body's names, founding date or rules (quorum, proxies allowed)."""
    body = get_visible_or_404(
        request.user, Body.objects.select_related("territory", "party_unit"), CHANGE, pk=body_id
    )
    # Only the founding date may be cleared; a null elsewhere changes nothing.
    fields = {
        name: value
        for name, value in payload.dict(exclude_unset=True).items()
        if value is not None or name == "founded_on"
    }
    body_update(actor=request.user, body=body, **fields)
    audit(request, "body_update", body)
    return body


# Opening and describing offices: their own module, on this router.
from abwab.territory import api_offices  # noqa: E402, F401
