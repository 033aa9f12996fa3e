"""API of the listening app: concerns (idempotent by client key) and dossiers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate

from abwab.api.errors import responses
from abwab.api.idempotency import idempotent
from abwab.api.schemas import Input
from abwab.campaigns.models import Event
from abwab.core.audit import audit
from abwab.core.errors import ErrorCode
from abwab.core.scope import get_visible_or_404, visible_to
from abwab.listening.models import Category, Concern, Dossier
from abwab.listening.services import concern_record
from abwab.territory.models import Territory

router = Router(tags=["listening"])


class ConcernIn(Input):
    client_key: str
    territory_code: str
    category: str
    description: str
    urgency: str = "normal"
    wants_answer: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    contact_consent: bool = False
    event_id: int | None = None


class ConcernOut(Schema):
    id: int
    territory_id: int
    category_id: int
    dossier_id: int
    description: str
    urgency: str
    wants_answer: bool


class DossierOut(Schema):
    id: int
    territory_id: int
    category_id: int
    status: str


@router.get("/concerns", response=responses({200: list[ConcernOut]}))
@paginate
def list_concerns(request):
    audit(request, "read_list", model=Concern)
    return visible_to(request.user, Concern.objects.all())


@router.get("/concerns/{concern_id}", response=responses({200: ConcernOut}))
def get_concern(request, concern_id: int):
    concern = get_visible_or_404(request.user, Concern, pk=concern_id)
    audit(request, "read", concern)
    return concern


@router.post("/concerns", response=responses({201: ConcernOut, 200: ConcernOut}))
def create_concern(request, payload: ConcernIn):
    def write():
        data = payload.dict()
        territory = get_visible_or_404(request.user, Territory, code=data.pop("territory_code"))
        category = Category.objects.filter(code=data.pop("category"), active=True).first()
        if category is None:
            raise ValidationError(
                {"category": _("Unknown category.")}, code=ErrorCode.UNKNOWN_CATEGORY
            )
        event_id = data.pop("event_id")
        event = get_visible_or_404(request.user, Event, pk=event_id) if event_id else None
        concern, created = concern_record(
            actor=request.user, territory=territory, category=category, event=event, **data
        )
        return (201 if created else 200), ConcernOut.from_orm(concern).model_dump(mode="json")

    return idempotent(request, write, model=Concern)


@router.get("/dossiers", response=responses({200: list[DossierOut]}))
@paginate
def list_dossiers(request):
    return visible_to(request.user, Dossier.objects.all())


@router.get("/dossiers/{dossier_id}", response=responses({200: DossierOut}))
def get_dossier(request, dossier_id: int):
    return get_visible_or_404(request.user, Dossier, pk=dossier_id)
