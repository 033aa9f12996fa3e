"""schemathesis over the OpenAPI schema: every operation, generated inputs, as a scoped user.

Bounded (a few examples per operation) so CI stays quick; a longer run is described in
docs/api-fuzzing.md."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from abwab.accounts.tokens import token_create
from abwab.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# The bar: no server error, every status documented, every answer as its schema says. (The
# "accept every schema-valid input" check is left out: a NUL character is refused on purpose.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
EXAMPLES = int(os.environ.get("ABWAB_FUZZ_EXAMPLES", "8"))  # CI: bounded; see docs/api-fuzzing.md


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
    _token, value = token_create(user=actors.fes_meknes, name="fuzz")
    return value


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
