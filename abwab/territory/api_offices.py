"""API of offices' writes, on the territory router (one URL per path: a second router's
/offices would answer 405 to the other methods): a secretariat opens an office and keeps its
details, through the screens' services; the territory code goes through the gate."""

from decimal import Decimal

from ninja import Schema
from ninja.responses import Status

from abwab.api.errors import responses
from abwab.api.schemas import Input
from abwab.core.audit import audit
from abwab.core.scope import CHANGE, get_visible_or_404
from abwab.territory.api import router
from abwab.territory.models import Office, Territory
from abwab.territory.offices import office_open, office_update


class OfficeIn(Input):
    territory_code: str
    name_ar: str
    name_fr: str
    address: str
    phone: str = ""
    hours: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accessible_entrance: bool = False


class OfficePatch(Input):
    """Only the fields sent change (exclude_unset); a null is refused where the office cannot
    hold one (it reached the database as a NOT NULL failure: a 500)."""

    name_ar: str = ""
    name_fr: str = ""
    address: str = ""
    phone: str = ""
    hours: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    accessible_entrance: bool = False


class OfficeDetailOut(Schema):
    id: int
    territory_code: str
    name_ar: str
    name_fr: str
    address: str
    phone: str
    hours: str
    latitude: Decimal | None
    longitude: Decimal | None
    accessible_entrance: bool


def _out(office: Office) -> dict:
    return {
        "id": office.pk,
        "territory_code": office.territory.code,
        **{
            name: getattr(office, name)
            for name in (
                "name_ar",
                "name_fr",
                "address",
                "phone",
                "hours",
                "latitude",
                "longitude",
                "accessible_entrance",
            )
        },
    }


@router.post("/offices", response=responses({201: OfficeDetailOut}))
def create_office(request, payload: OfficeIn):
    """Open an office at a node of the caller's territory."""
    data = payload.dict()
    territory = get_visible_or_404(request.user, Territory, code=data.pop("territory_code"))
    office = office_open(actor=request.user, territory=territory, **data)
    audit(request, "office.open", office)
    return Status(201, _out(office))


@router.patch("/offices/{office_id}", response=responses({200: OfficeDetailOut}))
def update_office(request, office_id: int, payload: OfficePatch):
    """Change an office's details; fields left out keep their value."""
    office = get_visible_or_404(request.user, Office, CHANGE, pk=office_id)
    office = office_update(actor=request.user, office=office, **payload.dict(exclude_unset=True))
    audit(request, "office.update", office)
    return _out(office)
