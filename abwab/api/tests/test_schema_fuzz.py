"""schemathesis over the OpenAPI schema: every operation, generated inputs, every check, as a
provincial secretary (Taounate) holding an API token, with records in scope to hit.

Bounded (a few examples per operation) so CI stays quick; a longer run is described in
docs/api-fuzzing.md."""

import json
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis import checks
from schemathesis.config import PositiveDataAcceptanceConfig

from abwab.accounts.tokens import token_create
from abwab.campaigns.models import CheckIn

# The application as the test client builds it: speaking plain http (production redirects it to
# https, and the middleware reads that setting once, when it is built, here at collection).
with override_settings(SECURE_SSL_REDIRECT=False):
    application = WSGIHandler()
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# Strings are generated without NUL: the server refuses any request holding one on purpose (400
# before any view; abwab/core's middleware and its test), which "schema-valid input accepted"
# would otherwise report for every operation.
schema.config.generation.update(allow_x00=False)
# A schema-valid input may still break a domain rule the schema cannot say (a CIN's format, a
# category or purpose from the reference lists, consent not given): that is the documented 422,
# which "schema-valid input accepted" must therefore count as an answer.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=["2xx", "3xx", "401", "403", "404", "409", "422", "429", "5xx"]  # + 422
)
checks.load_all_checks()
CHECKS = checks.CHECKS.get_all()  # all of them: server errors, conformance, auth, data handling
EXAMPLES = int(os.environ.get("ABWAB_FUZZ_EXAMPLES", "8"))  # CI: bounded; see docs/api-fuzzing.md
# CI draws the same examples every run (a merge must not fail on a draw that passed before);
# ABWAB_FUZZ_RANDOM=1 explores new ones, as docs/api-fuzzing.md says to do before a release.
DERANDOMIZE = os.environ.get("ABWAB_FUZZ_RANDOM", "") != "1"

# Path and body values the generator may be steered to, so that part of the examples reach
# records the caller may see (a random id would only ever meet a 404). Filled per test.
IN_SCOPE: dict[str, object] = {}


@schema.hook("map_path_parameters")
def _in_scope_paths(ctx, path_parameters):
    """Every other generated value replaced by an id in the caller's scope."""
    for name, value in (path_parameters or {}).items():
        expected = str if name == "code" else int
        if name in IN_SCOPE and isinstance(value, expected) and _steer(value):
            path_parameters[name] = IN_SCOPE[name]
    return path_parameters


@schema.hook("map_body")
def _in_scope_body(ctx, body):
    if isinstance(body, dict):
        for name in ("territory_code", "event_id"):
            expected = str if name == "territory_code" else int
            if name in body and isinstance(body[name], expected) and _steer(body[name]):
                body[name] = IN_SCOPE[name]
    return body


def _steer(value) -> bool:
    """Every other value of the expected type: an invalid one (negative tests) stays invalid, or
    schemathesis would count an input it generated to be refused, made valid here, as accepted."""
    return isinstance(value, int | str) and not isinstance(value, bool) and len(str(value)) % 2


@pytest.fixture
def keep_connection():
    """Keep the test's transaction open across calls, as Django's own test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(actors, places, keep_connection):
    here = places["taounate_a"]
    IN_SCOPE.update(
        event_id=here.event.pk,
        person_id=here.person.pk,
        office_id=here.office.pk,
        code=here.node.code,
        territory_code=here.node.code,
        campaign_id=here.event.campaign_id,
        concern_id=here.concern.pk,
        dossier_id=here.dossier.pk,
        meeting_id=here.meeting.pk,
        decision_id=here.decision.pk,
    )
    _token, value = token_create(user=actors.taounate, name="fuzz")
    yield value
    IN_SCOPE.clear()


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["[null, null]", "null", "5", '"entries"', '{"entries": [null]}'])
def test_sync_refuses_a_body_that_is_not_an_object_of_entries(client, actors, places, body):
    # Given the Taounate secretary at an event of theirs
    client.force_login(actors.taounate)
    event = places["taounate_a"].event
    before = CheckIn.objects.count()
    # When the offline desk's route gets a body that is no queue at all
    response = client.post(
        f"/api/campaigns/events/{event.pk}/sync", body, content_type="application/json"
    )
    # Then it is refused as invalid input (it used to answer 200, an empty queue), nothing stored
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")
    assert CheckIn.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/people/", {"territory_code": None}),
        ("/api/listening/concerns", [{"client_key": "k"}]),
        ("/api/campaigns/events/{event}/checkins", [None]),
        ("/api/campaigns/events/{event}/signups", {"client_key": "12345678", "person": 5}),
        ("/api/campaigns/events/{event}/signups", {"client_key": "12345678", "checkin": []}),
    ],
)
def test_every_input_schema_takes_objects_only(client, actors, places, path, body):
    client.force_login(actors.taounate)
    path = path.format(event=places["taounate_a"].event.pk)
    response = client.post(path, json.dumps(body), content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (422, "invalid_input")
