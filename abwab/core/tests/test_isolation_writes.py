"""Writes aimed at another territory: every web route and every API write, tried with the other
place's ids in the URL and in the body (every field that names a record, client keys and the
Idempotency-Key it already used), as an outside tester would. Nothing of theirs may change
(a digest of their rows before and after each request) and nothing of theirs may come back.

The routes and operations are not listed: web forms are read from the pages and API bodies from
the OpenAPI schema (see abwab/core/tests/attack.py), so what is added later is attacked too.
"""

import functools
import json
import re
from urllib.parse import urljoin

import pytest
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from abwab.api.api import api
from abwab.core.tests import attack
from abwab.core.tests.isolation import (
    LIST_ROUTES,
    OBJECT_ROUTES,
    POST_ROUTES,
    PUBLIC,
    all_routes,
)
from abwab.core.tests.test_isolation import readable
from conftest import SignedInClient

pytestmark = pytest.mark.django_db

# attacker -> (its place, the other place it attacks)
WEB_ATTACKERS = {
    "taounate": ("taounate_a", "meknes"),
    "local": ("taounate_a", "taounate_b"),
    "volunteer": ("taounate_a", "taounate_b"),
}
API_ATTACKERS = {
    **WEB_ATTACKERS,
    "meknes": ("meknes", "taounate_a"),
    "fes_meknes": ("taounate_a", "oriental"),
    "media": ("meknes", "oriental"),
    "auditor": ("taounate_b", "meknes"),
    "fes_north": ("fes_north", "fes_south"),
    "outsider": ("taounate_a", "taounate_a"),
}
SECRET_CIN, SECRET_PHONE = "ZX918273", "0698765432"


class Attack:
    """One attacker's run: every request it sent that went wrong, in one list."""

    def __init__(self, client, places, inside: str, outside: str):
        self.client = client
        self.inside, self.outside = places[inside], places[outside]
        for place in (self.inside, self.outside):  # records a Place makes when first asked for
            for attribute, member in vars(type(place)).items():
                if isinstance(member, property | functools.cached_property):
                    getattr(place, attribute)
        self.path = self.outside.node.path
        self.problems: list[str] = []
        self.requests = 0
        self.secrets = _secrets(self.outside)
        self.outside.person.refresh_from_db()
        self.keys = _keys_used_by_another_account(self.outside)
        self.before = attack.digest(self.path)

    def send(self, method: str, url: str, *, data=None, as_json=False, expect=None, headers=None):
        self.requests += 1
        if as_json:
            response = self.client.generic(
                method,
                url,
                json.dumps(data),
                content_type="application/json",
                headers=headers,
            )
        else:
            response = self.client.post(url, data or {})
        label = f"{method} {url} {json.dumps(data, default=str)[:300] if data else ''}"
        if response.status_code >= 500:
            self.problems.append(f"{label}: {response.status_code}")
        if expect and response.status_code not in expect:
            self.problems.append(f"{label}: {response.status_code} outside the scope")
        text = _text(response)
        sent = json.dumps(data, default=str, ensure_ascii=False) if data else ""
        # What the attacker typed itself (their phone, as an office's) is no leak when it comes back.
        if leaked := [secret for secret in self.secrets if secret in text and secret not in sent]:
            self.problems.append(f"{label}: their {leaked} in the answer")
        after = attack.digest(self.path)
        if moved := attack.changed(self.before, after):
            self.problems.append(f"{label}: their rows changed in {moved}")
            self.before = after
        return response


def _text(response) -> str:
    """What the attacker reads in an answer: a page, JSON, a PDF's text, a streamed export."""
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    if not response.get("Content-Type"):
        return response.content.decode(errors="replace")
    return readable(response)


def _secrets(place) -> list[str]:
    """What of the other place may never reach the attacker: names, card, CIN, phone, a concern."""
    type(place.person).objects.filter(pk=place.person.pk).update(cin=SECRET_CIN, phone=SECRET_PHONE)
    return [
        place.person.last_name_latin,
        f"twin-{place.key}",
        place.membership.card_number,
        SECRET_CIN,
        SECRET_PHONE,
        f"secret concern of {place.key}",
    ]


def _keys_used_by_another_account(place) -> list[str]:
    """Client keys and an Idempotency-Key the national administrator already used in `place`."""
    from abwab.accounts.models import User

    admin = SignedInClient()
    admin.force_login(User.objects.get(username="admin"))
    keys = [f"replayed-{place.key}-1", f"replayed-{place.key}-2"]
    admin.post(
        "/api/listening/concerns",
        json.dumps(
            {
                "client_key": keys[0],
                "territory_code": place.node.code,
                "category": "water",
                "description": f"secret concern of {place.key}",
            }
        ),
        content_type="application/json",
        headers={"Idempotency-Key": keys[0]},
    )
    admin.post(
        f"/api/campaigns/events/{place.event.pk}/checkins",
        json.dumps({"client_key": keys[1], "name": "س", "purpose": "information"}),
        content_type="application/json",
        headers={"Idempotency-Key": keys[1]},
    )
    return [*keys, place.concern.client_key]


def _route_urls(name: str, places, inside, outside) -> tuple[str, str] | None:
    """The route's address for the attacker's own object and for the other place's."""
    if name in OBJECT_ROUTES:
        attribute, kwargs = OBJECT_ROUTES[name]
    elif name in POST_ROUTES and "kwargs" in POST_ROUTES[name]:
        attribute, kwargs = POST_ROUTES[name]["attribute"], POST_ROUTES[name]["kwargs"]
    elif name in LIST_ROUTES or name in POST_ROUTES:
        url = reverse(name, kwargs=LIST_ROUTES[name](places) if LIST_ROUTES.get(name) else None)
        return url, url
    else:
        return None  # unclassified: test_isolation's classification check fails on it
    return (
        reverse(name, kwargs=kwargs(getattr(inside, attribute))),
        reverse(name, kwargs=kwargs(getattr(outside, attribute))),
    )


def _is_public(url: str) -> bool:
    try:
        match = resolve(url.split("?")[0])
    except Resolver404:
        return True
    return match.view_name in PUBLIC or match.view_name.startswith("admin:")


@pytest.mark.parametrize("attacker", WEB_ATTACKERS)
def test_web_writes_with_another_territorys_ids(client, actors, places, attacker):
    # Given an attacker, the forms of every page as the administrator sees them in its place
    inside, outside = WEB_ATTACKERS[attacker]
    run = Attack(client, places, inside, outside)
    admin = SignedInClient()
    admin.force_login(actors.admin)
    client.force_login(getattr(actors, attacker))
    for name, pattern in all_routes():
        if pattern.startswith(("admin/", "static/")) or name in PUBLIC or name.startswith("api:"):
            continue  # the API's writes are attacked from its schema, below
        urls = _route_urls(name, places, run.inside, run.outside)
        if urls is None:
            continue
        # Building a route's address may make the record it needs (a held form, a send): that is
        # the test's doing, not the attacker's.
        run.before = attack.digest(run.path)
        mine, theirs = urls
        page = admin.get(mine)
        forms = (
            attack.post_forms(page.content.decode())
            if page.status_code == 200 and page["Content-Type"].startswith("text/html")
            else []
        )
        # When every form is sent with the other place's records in its fields, to the attacker's
        # own object and to theirs; and the bare route is posted to for theirs
        if theirs != mine:
            run.send("POST", theirs, expect=(404, 405))
        for form in forms:
            action = urljoin(mine, form["action"]) if form["action"] else mine
            if _is_public(action):
                continue  # logging out or changing the language
            for fields in attack.form_variants(form["fields"], run.outside):
                for button in form["buttons"] or [None]:
                    data = {}
                    for key, value in [*fields, *([button] if button else [])]:
                        data.setdefault(key, []).append(value)
                    run.send("POST", action, data=data)
                    if action == mine and theirs != mine:
                        run.send("POST", theirs, data=data, expect=(404, 405))
    # Then nothing of theirs changed or came back, and no request was a server error
    assert run.problems == [], "\n".join(run.problems)
    assert run.requests > 50


@pytest.mark.parametrize("attacker", API_ATTACKERS)
def test_api_writes_with_another_territorys_ids(client, actors, places, attacker):
    # Given an attacker and every API write of the schema
    inside, outside = API_ATTACKERS[attacker]
    run = Attack(client, places, inside, outside)
    client.force_login(getattr(actors, attacker))
    spec = api.get_openapi_schema()
    operations = attack.api_writes(spec)
    for method, template, operation in operations:
        body_schema = attack.request_body_schema(operation)
        params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
        unknown = [p for p in params if attack.record_of(p) is None]
        if unknown:  # a new kind of record: say what it is, so that it can be attacked
            run.problems.append(f"{template}: say in attack.NAMES what {unknown} name")
            continue

        def url(place, template=template, params=params):
            return template.format(
                **{p: attack.value_of(place, attack.record_of(p), p) for p in params}
            )

        variants = (
            attack.body_variants(body_schema, spec, run.inside, run.outside, run.keys)
            if body_schema
            else [(None, key) for key in run.keys]
        )
        # When it is sent with the other place's ids in the body (all at once, then each alone)
        # and with every key they used, to the attacker's own objects; and to theirs
        for i, (body, key) in enumerate(variants):
            headers = {"Idempotency-Key": key}
            run.send(method, url(run.inside), data=body, as_json=True, headers=headers)
            if params and i == 0:
                run.send(
                    method,
                    url(run.outside),
                    data=body,
                    as_json=True,
                    headers=headers,
                    expect=(404, 405, 422),
                )
    # Then nothing of theirs changed or came back, and no request was a server error
    assert run.problems == [], "\n".join(run.problems)
    assert len(operations) >= 5


def test_the_attack_catches_a_write_that_skips_the_gate(client, actors, places, settings):
    """A form that renames another place's office without the gate fails the web attack."""
    settings.ROOT_URLCONF = "abwab.core.tests.leaky_urls"
    run = Attack(client, places, "taounate_a", "meknes")
    client.force_login(actors.taounate)
    run.send("POST", reverse("leaky_office_rename"), data={"office": places["meknes"].office.pk})
    assert [problem.rsplit(": ", 1)[1] for problem in run.problems] == [
        "their ['person-meknes', 'twin-meknes'] in the answer",
        "their rows changed in ['territory.Office']",
    ]


def test_a_client_that_never_logged_in_is_refused_everywhere(places):
    """The same writes, anonymous: the API says 401 to every one of them."""
    anonymous = Client()
    spec = api.get_openapi_schema()
    for method, template, _operation in attack.api_writes(spec):
        path = re.sub(r"\{[^}]+\}", "1", template)
        assert anonymous.generic(method, path).status_code == 401, template
