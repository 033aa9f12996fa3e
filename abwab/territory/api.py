"""API of the territory app: offices and territory nodes in the caller's scope."""

from ninja import Router, Schema
from ninja.pagination import paginate

from abwab.api.errors import responses
from abwab.core.scope import get_visible_or_404, visible_to
from abwab.territory.models import Office, Territory

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
