"""A session that typed only the password reaches nothing but the second-factor and logout pages:
every API operation, read from the OpenAPI schema so that a new one is attacked too, answers 401 or
403 and writes nothing, for every role that needs the factor; the other roles are unaffected."""

import json
import re
import time

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from abwab.accounts import twofactor
from abwab.accounts.tests.factories import PASSWORD
from abwab.api.api import api
from abwab.core.roles import Role

pytestmark = pytest.mark.django_db

# The fixed actor holding each role (the outsider holds none).
HOLDER = {
    Role.NATIONAL_ADMIN: "admin",
    Role.REGIONAL_SECRETARY: "fes_meknes",
    Role.PROVINCIAL_SECRETARY: "taounate",
    Role.LOCAL_SECRETARY: "local",
    Role.VOLUNTEER: "volunteer",
    Role.MEDIA_OFFICER: "media",
    Role.AUDITOR: "auditor",
}
NEEDS_FACTOR = sorted(role.value for role in twofactor.REQUIRES_2FA)
UNAFFECTED = sorted(role.value for role in Role if role not in twofactor.REQUIRES_2FA)

# A value for each path parameter, taken from the actor's own place (so that, were the gate open,
# the call would succeed); a parameter not listed gets 1: the gate must answer before any lookup.
PATH_VALUES = {
    "person_id": lambda place: place.person.pk,
    "office_id": lambda place: place.office.pk,
    "code": lambda place: place.node.code,
    "event_id": lambda place: place.event.pk,
    "campaign_id": lambda place: place.event.campaign_id,
    "concern_id": lambda place: place.concern.pk,
    "dossier_id": lambda place: place.dossier.pk,
    "meeting_id": lambda place: place.meeting.pk,
    "decision_id": lambda place: place.decision.pk,
}
# Body fields that must name something real for a write to go through.
BODY_VALUES = {
    "territory_code": lambda place: place.node.code,
    "event_id": lambda place: place.event.pk,
    "category": lambda place: "water",
    "first_name_ar": lambda place: "سعاد",
    "name": lambda place: "زائر",
    "purpose": lambda place: "information",
    "description": lambda place: "attack",
}


def operations() -> list[tuple[str, str, dict]]:
    """Every (method, path, operation) the API declares."""
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in spec:
        spec = schema["components"]["schemas"][spec["$ref"].rsplit("/", 1)[1]]
    return spec


def body_for(operation: dict, place, n: int) -> dict | None:
    """A body with every required field filled, and the fields that name records set to the
    actor's own: a write that would be accepted, were the session fully signed in."""
    if "requestBody" not in operation:
        return None
    schema = api.get_openapi_schema()
    spec = _resolve(schema, operation["requestBody"]["content"]["application/json"]["schema"])
    body = {}
    for name, field in spec.get("properties", {}).items():
        if name in BODY_VALUES:
            body[name] = BODY_VALUES[name](place)
        elif name == "client_key":
            body[name] = f"gate-{n}"
        elif name in spec.get("required", ()):
            kind = field.get("type", "string")
            body[name] = {"integer": 1, "boolean": True, "array": [], "object": {}}.get(kind, "x")
    return body


def digest() -> dict[str, int]:
    """How many rows each table holds (sessions aside: a login writes its own)."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label != "sessions.Session"
    }


def password_only(username: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session and twofactor.VERIFIED not in client.session
    return client


def call(client: Client, method: str, url: str, body: dict | None):
    data = json.dumps(body) if body is not None else None
    return client.generic(method, url, data or "", content_type="application/json")


def test_the_schema_declares_writes():
    methods = {method for method, _path, _operation in operations()}
    assert {"GET", "POST"} <= methods and len(operations()) >= 20


@pytest.mark.parametrize("role", NEEDS_FACTOR)
def test_password_only_reaches_no_api_operation(actors, places, settings, role):
    settings.REQUIRE_2FA = True
    client = password_only(HOLDER[role])
    place = places["taounate_a"]
    before = digest()
    for n, (method, path, operation) in enumerate(operations()):
        names = re.findall(r"{(\w+)}", path)
        url = path.format(
            **{name: PATH_VALUES.get(name, lambda _place: 1)(place) for name in names}
        )
        response = call(client, method, url, body_for(operation, place, n))
        assert response.status_code in (401, 403), (method, path, response.status_code)
        assert response["Content-Type"] == "application/json"
        assert response.json()["code"] == "second_factor_required"
        assert "person-taounate_a" not in response.content.decode()
    assert digest() == before


@pytest.mark.parametrize("role", UNAFFECTED)
def test_roles_without_the_factor_are_unaffected(actors, places, settings, role):
    settings.REQUIRE_2FA = True
    client = password_only(HOLDER[role])
    assert client.get("/api/territory/offices").status_code == 200
    assert client.get("/").status_code == 200


def test_the_outsider_is_unaffected(actors, settings):
    settings.REQUIRE_2FA = True
    assert password_only("outsider").get("/api/territory/offices").status_code == 200


@pytest.mark.parametrize("role", NEEDS_FACTOR)
def test_the_same_calls_go_through_once_the_factor_is_passed(actors, places, settings, role):
    settings.REQUIRE_2FA = True
    client = password_only(HOLDER[role])
    session = client.session
    session[twofactor.VERIFIED] = int(time.time())
    session.save()
    place = places["taounate_a"]
    people = [op for op in operations() if op[:2] == ("POST", "/api/people/")][0]
    response = call(client, "POST", "/api/people/", body_for(people[2], place, 0))
    assert response.status_code == 201
    assert client.get("/api/people/").status_code == 200


@pytest.mark.parametrize(
    "path",
    ["/", "/people/", "/news/", "/accounts/confirm/", "/admin/", "/dashboard/"],
)
def test_pages_send_a_pending_session_to_the_second_factor(actors, settings, path):
    settings.REQUIRE_2FA = True
    response = password_only("fes_meknes").get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:second_factor"))


def test_the_second_factor_and_logout_pages_stay_open(actors, settings):
    settings.REQUIRE_2FA = True
    client = password_only("fes_meknes")
    assert client.get(reverse("accounts:second_factor")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_bearer_token_does_not_lift_a_pending_session(actors, settings):
    from abwab.accounts.tokens import token_create

    settings.REQUIRE_2FA = True
    _token, value = token_create(user=actors.taounate, name="x")
    client = password_only("fes_meknes")
    response = client.get("/api/people/", HTTP_AUTHORIZATION=f"Bearer {value}")
    assert response.status_code == 401


# Every route of the site, not only the API: the URLconf read as test_isolation reads it.
OPEN_TO_A_PENDING_SESSION = ("accounts:second_factor", "accounts:logout", "set_language")


def concrete(pattern: str) -> str:
    """A path for a URL pattern; any value does, the gate answering before the URL is resolved."""
    path = re.sub(r"<(?:\w+:)?\w+>", "1", pattern)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    return "/" + path.replace("^", "").replace("$", "").replace("\\", "")


def test_every_route_of_the_site_holds_a_pending_session(actors, places, settings):
    from abwab.core.tests.isolation import all_routes

    settings.REQUIRE_2FA = True
    client = password_only("fes_meknes")
    before = digest()
    tried = 0
    for name, pattern in all_routes():
        path = concrete(pattern)
        if name in OPEN_TO_A_PENDING_SESSION or path.startswith(
            twofactor.SecondFactorMiddleware.OPEN_PREFIXES  # assets, language, health check
        ):
            continue
        for method in ("GET", "POST"):
            response = client.generic(method, path)
            tried += 1
            if path.startswith("/api/"):
                assert response.status_code == 401, (method, path)
                assert response.json()["code"] == "second_factor_required"
            else:
                assert response.status_code == 302, (method, path, response.status_code)
                assert response.url.startswith(reverse("accounts:second_factor")), path
    assert tried > 100
    assert digest() == before
    assert client.get("/no/such/page/").url.startswith(reverse("accounts:second_factor"))
