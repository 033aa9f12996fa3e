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
    "positions": "position",
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


def swapped(fields: list[tuple[str, str]], outside) -> list[tuple[str, str]]:
    """The form's fields with every record-naming one pointing at `outside`'s record."""
    result = []
    for name, value in fields:
        attribute = record_of(re.sub(r"-\d.*$", "", name))
        theirs = value_of(outside, attribute, name) if attribute else None
        result.append((name, str(theirs) if theirs is not None else value))
    return result


# API bodies from the schema ----------------------------------------------------------------------


def body_from_schema(schema: dict, spec: dict, outside, keys: list[str]) -> object:
    """A body that fits `schema`, every record-naming property set to `outside`'s record and every
    client key to one `outside` already used."""
    return _fill(schema, spec, outside, keys, name="", depth=0)


def _resolve(schema: dict, spec: dict) -> dict:
    while "$ref" in schema:
        target = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        schema = target
    return schema


def _fill(schema: dict, spec: dict, outside, keys: list[str], *, name: str, depth: int):
    schema = _resolve(schema, spec)
    for combined in ("anyOf", "oneOf", "allOf"):
        if combined in schema:
            options = [o for o in schema[combined] if _resolve(o, spec).get("type") != "null"]
            if options:
                return _fill(options[0], spec, outside, keys, name=name, depth=depth)
    attribute = record_of(name) if name else None
    if attribute:
        theirs = value_of(outside, attribute, name)
        if schema.get("type") == "array":
            return [theirs]
        if schema.get("type") == "string" and not isinstance(theirs, str):
            return str(theirs)
        return theirs
    if name in ("client_key", "key") and keys:
        return keys[0]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 4:
            return {}
        return {
            prop: _fill(sub, spec, outside, keys, name=prop, depth=depth + 1)
            for prop, sub in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [_fill(schema.get("items", {}), spec, outside, keys, name="", depth=depth + 1)]
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
