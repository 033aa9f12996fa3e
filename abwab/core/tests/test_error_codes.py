"""Error codes are one enum (abwab.core.errors.ErrorCode) shared by services, views and the API."""

import ast
import json
import pathlib

import pytest

from abwab.accounts.tokens import token_create
from abwab.core.errors import ErrorCode, error_code

ROOT = pathlib.Path(__file__).resolve().parents[2]  # the abwab package
# Calls whose `code=` is an error code (a refusal, or an entry of the door's sync answer).
CODE_CARRIERS = {"ValidationError", "SyncResult"}


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts or path == ROOT / "core" / "errors.py":
            continue
        yield path


def _free_codes(path: pathlib.Path, root: pathlib.Path = ROOT) -> list[str]:
    """The error codes written as bare strings in one module: `ValidationError(..., code="x")`,
    a `{"code": "x"}` answer, or `code=c or "x"`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name in CODE_CARRIERS:
                for keyword in node.keywords:
                    if keyword.arg == "code":
                        found += [
                            f"{path.relative_to(root)}:{const.lineno} {const.value!r}"
                            for const in ast.walk(keyword.value)
                            if isinstance(const, ast.Constant) and isinstance(const.value, str)
                        ]
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if (
                    isinstance(key, ast.Constant)
                    and key.value == "code"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    found.append(f"{path.relative_to(root)}:{value.lineno} {value.value!r}")
    return found


def test_no_error_code_is_a_free_string_outside_the_enum():
    free = [hit for path in _sources() for hit in _free_codes(path)]
    assert free == [], "use abwab.core.errors.ErrorCode instead of:\n" + "\n".join(free)


def test_the_scan_sees_a_free_code(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        'raise ValidationError("x", code="forbidden")\n'
        'answer = {"code": "possible_duplicates"}\n'
        'SyncResult(code=code or "invalid_input")\n'
        "raise ValidationError('x', code=ErrorCode.FORBIDDEN)\n"
    )
    assert [hit.split(" ")[1] for hit in _free_codes(module, tmp_path)] == [
        "'forbidden'",
        "'possible_duplicates'",
        "'invalid_input'",
    ]


def test_codes_keep_the_strings_clients_know():
    values = [code.value for code in ErrorCode]
    assert len(values) == len(set(values))
    assert all(value.isascii() and value == value.lower() for value in values)
    for known in (
        "not_found",
        "unauthenticated",
        "invalid_input",
        "idempotency_key_reused",
        "second_factor_required",
        "forbidden",
        "consent_required",
        "key_reused",
        "possible_duplicates",
    ):
        assert ErrorCode(known) == known
    assert json.dumps({"code": ErrorCode.CONSENT_REQUIRED}) == '{"code": "consent_required"}'
    assert (ErrorCode.NOT_FOUND.status, ErrorCode.UNAUTHENTICATED.status) == (404, 401)
    assert ErrorCode.FORBIDDEN.status == 422 and ErrorCode.FORBIDDEN.message is None
    assert error_code("no_such_code") is ErrorCode.INVALID_INPUT
    assert error_code("too_young") is ErrorCode.TOO_YOUNG


def test_the_schema_lists_every_code(client):
    schema = client.get("/api/openapi.json").json()
    components = schema["components"]["schemas"]
    code = components["ErrorOut"]["properties"]["code"]
    if "$ref" in code or "allOf" in code:
        ref = code.get("$ref") or code["allOf"][0]["$ref"]
        code = components[ref.rsplit("/", 1)[1]]
    assert set(code["enum"]) == {member.value for member in ErrorCode}


@pytest.mark.django_db
def test_the_api_answers_members_of_the_enum(client, actors):
    response = client.get("/api/people/")
    assert (response.status_code, response.json()["code"]) == (401, ErrorCode.UNAUTHENTICATED)
    _token, value = token_create(user=actors.taounate, name="x")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {value}"}
    response = client.get("/api/people/999999999", **auth)
    assert (response.status_code, response.json()["code"]) == (404, ErrorCode.NOT_FOUND)
    response = client.post(
        "/api/people/", json.dumps({"first_name_ar": "x"}), content_type="application/json", **auth
    )
    assert (response.status_code, response.json()["code"]) == (422, ErrorCode.INVALID_INPUT)
