"""Writes aimed at another territory, built the way an outside tester builds them.

Shared by the isolation test (`test_isolation_writes.py`, in-process) and `bench.attack` (over
HTTP): which record a field names, a digest of a territory's rows, the values of another
territory's records to put in URLs and bodies, and the strings that must never come back.

Nothing here is a list of routes: web forms are read from the pages themselves and API bodies
from the OpenAPI schema, so a route or an operation added later is attacked without being listed.
Only what cannot be derived is a table: which record a field's name points at.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from html.parser import HTMLParser

from django.apps import apps
from django.db.models import ForeignKey, Model

from abwab.core.scope import policy_for

# Field or parameter name (prefixes and `_id` removed, see `record_of`) -> the attribute of a
# conftest Place it names. The only table: a name says what kind of record it holds.
NAMES = {
    "territory": "node",
    "territory_code": "node",
    "commune": "node",
    "commune_code": "node",
    "code": "node",
    "new_territory": "node",
    "node": "node",
    "office": "office",
    "body": "body",
    "person": "person",
    "existing_person": "person",
    "volunteer": "person",
    "survivor": "person",
    "duplicate": "person",
    "people": "person",
    "event": "event",
    "campaign": "campaign",
    "membership": "membership",
    "dossier": "dossier",
    "meeting": "meeting",
    "communique": "communique",
    "decision": "decision",
    "concern": "concern",
    "attachment": "attachment",
    "job": "job",
    "cluster": "cluster",
    "merge": "merge",
    "import_batch": "import_batch",
    "target": "target",
    "position": "position",
    "mandate": "mandate",
    "mandates": "mandate",
    "founding": "founding",
    "positions": "position",
}


# Free-text fields whose valid values come from a reference list the schema does not carry, and
# those a record needs filled (a name) or in the past (a birth date).
VALID = {
    "category": "water",
    "purpose": "information",
    "urgency": "normal",
    "name": "Souad Alaoui",
    "first_name_ar": "سعاد",
    "last_name_ar": "العلوي",
    "birth_date": "1990-05-01",
    "recorded_at": None,
}


def record_of(name: str) -> str | None:
    """The Place attribute a field or parameter named `name` points at, if any."""
    name = name.rsplit("-", 1)[-1] if "-" in name else name  # form prefixes: "signup-territory"
    for candidate in (name, name.removesuffix("_id"), name.removesuffix("_ids")):
        if candidate in NAMES:
            return NAMES[candidate]
    return None


def value_of(place, attribute: str, name: str) -> str | int | None:
    """Place's record as a field named `name` would hold it: a code for territories, else an id."""
    if attribute == "campaign":
        obj = place.event.campaign
    else:
        obj = getattr(place, attribute, None)
    if obj is None:
        return None
    if attribute == "node" and (
        "code" in name or name in ("territory", "commune", "new_territory")
    ):
        return obj.code
    return obj.pk


# Digest ------------------------------------------------------------------------------------------


def territory_paths() -> dict[type[Model], str]:
    """For every model holding scoped data, the lookup to its territory path: a model with a scope
    policy, or one that points at such a model (its rows belong where their parent does)."""
    found = {}
    for model in apps.get_models():
        policy = policy_for(model)
        if policy is not None:
            found[model] = policy.path
    for model in apps.get_models():
        if model in found:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey) and field.related_model in found:
                found[model] = f"{field.name}__{found[field.related_model]}"
                break
    return found


def digest(path: str) -> dict[str, str]:
    """Model label -> an order-free hash of every row under the territory `path` (and its count)."""
    result = {}
    for model, lookup in sorted(territory_paths().items(), key=lambda item: item[0]._meta.label):
        rows = model._base_manager.filter(**{f"{lookup}__startswith": path}).values_list()
        hashes = sorted(hashlib.sha256(repr(row).encode()).hexdigest() for row in rows)
        result[model._meta.label] = (
            f"{len(hashes)}:" + hashlib.sha256("".join(hashes).encode()).hexdigest()[:16]
        )
    return result


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        label for label in before.keys() | after.keys() if before.get(label) != after.get(label)
    )


# Forms -------------------------------------------------------------------------------------------


class Forms(HTMLParser):
    """The POST forms of a page: (action, fields as (name, value) pairs, submit buttons)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = {"action": attrs.get("action") or "", "fields": [], "buttons": []}
                self.forms.append(self._form)
            return
        if self._form is None or not attrs.get("name"):
            return
        name = attrs["name"]
        kind = (attrs.get("type") or "text").lower()
        if tag == "button" or kind == "submit":
            self._form["buttons"].append((name, attrs.get("value") or ""))
        elif tag == "input" and kind == "file":
            return
        elif tag == "input" and kind in ("checkbox", "radio"):
            if kind == "checkbox" or not any(n == name for n, _ in self._form["fields"]):
                self._form["fields"].append((name, attrs.get("value") or "on"))
        elif tag == "input":
            self._form["fields"].append((name, attrs.get("value") or _filler(name, kind)))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and attrs.get("value"):
            if not any(n == self._select for n, _ in self._form["fields"]):
                self._form["fields"].append((self._select, attrs["value"]))
        elif tag == "textarea":
            self._form["fields"].append((name, "x"))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def _filler(name: str, kind: str) -> str:
    if kind == "date" or name.endswith(("_on", "day")):
        return "2026-12-01"
    if kind in ("datetime-local",) or name.endswith("_at"):
        return "2026-12-01T10:00"
    if kind == "time":
        return "10:00"
    if kind == "number":
        return "1"
    return "x"


def post_forms(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def swapped(
    fields: list[tuple[str, str]], outside, only: str | None = None
) -> list[tuple[str, str]]:
    """The form's fields with every record-naming one (or `only` that one) pointing at
    `outside`'s record."""
    result = []
    for name, value in fields:
        attribute = record_of(re.sub(r"-\d.*$", "", name)) if only in (None, name) else None
        theirs = value_of(outside, attribute, name) if attribute else None
        result.append((name, str(theirs) if theirs is not None else value))
    return result


def form_variants(fields: list[tuple[str, str]], outside) -> list[list[tuple[str, str]]]:
    """Every record-naming field pointing at `outside` at once, then each one alone."""
    names = [n for n, _ in fields if record_of(re.sub(r"-\d.*$", "", n))]
    alone = [swapped(fields, outside, only=name) for name in dict.fromkeys(names)]
    return [swapped(fields, outside), *(alone if len(names) > 1 else [])]


# API bodies from the schema ----------------------------------------------------------------------


def body_variants(schema: dict, spec: dict, inside, outside, keys: list[str]) -> list[dict]:
    """Bodies that fit `schema`, as a tester varies them: every record-naming property pointing at
    `outside` at once; each one alone pointing at `outside` (the others at `inside`, so no other
    gate refuses first), the person typed with `outside`'s member's CIN and phone; `inside`'s
    records with each key `outside` already used, as a client key and as the Idempotency-Key.
    Each is (body, Idempotency-Key)."""
    names: list[str] = []
    _fill(schema, spec, lambda name: inside, "", names, name="", depth=0)

    def fill(choose, key=None):
        return _fill(schema, spec, choose, key or f"fresh-{uuid.uuid4().hex}", [], name="", depth=0)

    typed = ("cin", "phone")  # the person typed at the desk is their member, in every variant
    variants = [(fill(lambda name: outside, keys[0]), keys[0])]
    for one in dict.fromkeys(names):
        variants.append(
            (fill(lambda name, n=one: outside if name in (n, *typed) else inside), None)
        )
    # Their client keys in our body (a fresh Idempotency-Key), then their Idempotency-Keys on our
    # body: a replay must never answer with their record.
    variants += [(fill(lambda name: inside, key), None) for key in keys]
    variants += [(fill(lambda name: inside), key) for key in keys]
    return [(body, key or f"fresh-{uuid.uuid4().hex}") for body, key in variants]


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        target = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def _fill(schema: dict, spec: dict, choose, key: str, names: list, *, name: str, depth: int):
    """A value for `schema`; a property naming a record takes `choose(name)`'s record."""
    schema = _resolve(schema, spec)
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            options = [o for o in schema[combined] if _resolve(o, spec).get("type") != "null"]
            if options:
                return _fill(options[0], spec, choose, key, names, name=name, depth=depth)
    is_object = schema.get("type") == "object" or "properties" in schema
    attribute = record_of(name) if name and not is_object else None
    if attribute or name in ("cin", "phone"):
        names.append(name)
        place = choose(name)
        if name in ("cin", "phone"):
            return getattr(place.person, name) or ("AB123456" if name == "cin" else "0612345678")
        theirs = value_of(place, attribute, name)
        if schema.get("type") == "array":
            return [theirs]
        if schema.get("type") == "string" and not isinstance(theirs, str):
            return str(theirs)
        return theirs
    if name == "client_key":
        return key
    if name in VALID:
        return VALID[name]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        return {
            prop: _fill(sub, spec, choose, key, names, name=prop, depth=depth + 1)
            for prop, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [_fill(schema.get("items", {}), spec, choose, key, names, name="", depth=depth + 1)]
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return max(1, schema.get("minimum", 1))
    fmt = schema.get("format")
    if fmt == "date":
        return "2026-12-01"
    if fmt == "date-time":
        return "2026-12-01T10:00:00+01:00"
    return "x" * max(1, schema.get("minLength", 1))


def api_writes(spec: dict) -> list[tuple[str, str, dict]]:
    """(method, path template, operation) of every API operation that writes."""
    return [
        (method.upper(), path, operation)
        for path, methods in sorted(spec["paths"].items())
        for method, operation in sorted(methods.items())
        if method in ("post", "put", "patch", "delete")
    ]


def request_body_schema(operation: dict) -> dict | None:
    content = (operation.get("requestBody") or {}).get("content", {})
    return (content.get("application/json") or {}).get("schema")
