"""API of the people app: persons and members in the caller's scope; registration is idempotent."""

from ninja import Router, Schema
from ninja.pagination import paginate

from abwab.api.errors import responses
from abwab.api.idempotency import idempotent
from abwab.api.schemas import Input
from abwab.api.types import Day
from abwab.core.audit import audit
from abwab.core.scope import CHANGE, get_visible_or_404, territories_where
from abwab.people.models import Person
from abwab.people.selectors import person_search
from abwab.people.services import person_create

router = Router(tags=["people"])


class PersonOut(Schema):
    id: int
    first_name_ar: str
    last_name_ar: str
    first_name_latin: str
    last_name_latin: str
    gender: str
    birth_date: Day | None
    territory_code: str
    card_number: str | None
    membership_status: str | None

    # Resolvers take a Person, or the dict an idempotent replay stored.
    @staticmethod
    def resolve_territory_code(obj) -> str:
        return obj["territory_code"] if isinstance(obj, dict) else obj.territory.code

    @staticmethod
    def resolve_card_number(obj) -> str | None:
        if isinstance(obj, dict):
            return obj["card_number"]
        return obj.membership.card_number if obj.membership else None

    @staticmethod
    def resolve_membership_status(obj) -> str | None:
        if isinstance(obj, dict):
            return obj["membership_status"]
        return obj.membership.status if obj.membership else None


class PersonIn(Input):
    territory_code: str
    first_name_ar: str = ""
    last_name_ar: str = ""
    first_name_latin: str = ""
    last_name_latin: str = ""
    gender: str = ""
    birth_date: Day | None = None
    cin: str | None = None
    phone: str = ""
    email: str = ""


@router.get("/", response=responses({200: list[PersonOut]}))
@paginate
def list_people(request, q: str = "", status: str = "", gender: str = ""):
    audit(request, "read_list", model=Person)
    return person_search(actor=request.user, query=q, status=status, gender=gender)


@router.get("/{person_id}", response=responses({200: PersonOut}))
def get_person(request, person_id: int):
    person = get_visible_or_404(
        request.user,
        Person.objects.live().select_related("territory").prefetch_related("memberships"),
        pk=person_id,
    )
    audit(request, "read", person)
    return person


@router.post("/", response=responses({201: PersonOut}))
def create_person(request, payload: PersonIn):
    def write():
        data = payload.dict()
        territory = get_visible_or_404(
            request.user,
            territories_where(request.user, Person, CHANGE),
            code=data.pop("territory_code"),
        )
        person = person_create(actor=request.user, territory=territory, **data)
        return 201, PersonOut.from_orm(person).model_dump(mode="json")

    return idempotent(request, write, model=Person)
