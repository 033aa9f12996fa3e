"""The outside probe: a secretary of Taounate attacks Meknès through a running server.

    .venv/bin/python -m bench.attack                    # SQLite, var/bench/attack.sqlite3
    .venv/bin/python -m bench.attack --engine postgres  # PostgreSQL abwab_attack

Starts gunicorn (``bench.server``) on loopback with production settings and ``REQUIRE_2FA=1``,
on a throwaway database holding two provinces (a commune of Taounate and one of Meknès, each with
an office, an open event, a member with a card, CIN and phone, a concern), a provincial secretary
of each and a regional secretary (who needs a second factor and has none). Then, over HTTP only:

* **ids in URLs**: every object route of the isolation table, GET and POST, with Meknès's ids,
  as Taounate's secretary (session): anything but 404/405 is counted "out of scope answered";
* **ids in bodies**: every form of Taounate's own pages (read from the pages, CSRF token
  included) sent with Meknès's records in every field that names one, and every API write
  (bodies from /api/openapi.json) with Meknès's ids, with Taounate's token;
* **key replay across accounts**: the client keys and Idempotency-Keys Meknès's secretary used,
  sent again by Taounate's;
* **2FA skipping**: the regional secretary logs in with the password only and tries every API
  operation and every page: anything but 401/403 or a redirect to the second factor counts;
* **formula payloads in exports**: members named ``=HYPERLINK(…)``, ``+1+cmd|…``, ``-2+3``,
  ``@SUM(…)`` are exported as CSV and XLSX: a cell a spreadsheet would evaluate counts.

Every answer is searched for Meknès's names, card number, CIN, phone and concern ("leaks"), and
a digest of Meknès's rows is compared before and after. Exits 1 on any leak, change, 2FA pass or
live formula. Bounded: ``--max-requests`` (default 5000) and ``--max-seconds`` (default 600).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/abwab_attack"
PASSWORD = "bench-attack-password-1"  # noqa: S105 - a throwaway account on a loopback server
SECRET_CIN, SECRET_PHONE = "ZX918273", "0698765432"
FORMULAS = ['=HYPERLINK("http://x.example","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)"]
REFUSED = {401, 403}


@dataclass
class Figures:
    requests: int = 0
    out_of_scope_answered: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    second_factor_skipped: list[str] = field(default_factory=list)
    live_formulas: list[str] = field(default_factory=list)
    rows_changed: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def failed(self) -> bool:
        return bool(
            self.leaks or self.second_factor_skipped or self.live_formulas or self.rows_changed
        )

    def table(self) -> str:
        lines = [
            f"requests tried: {self.requests} in {self.seconds:.1f} s",
            f"non-404 answers out of scope: {len(self.out_of_scope_answered)}",
            f"leaks (Meknès's names, card, CIN, phone, concern in a body): {len(self.leaks)}",
            f"Meknès rows changed: {self.rows_changed or 0}",
            f"password-only (2FA owed) requests not refused: {len(self.second_factor_skipped)}",
            f"export cells a spreadsheet would evaluate: {len(self.live_formulas)}",
            f"server errors: {len(self.server_errors)}",
        ]
        for title, items in (
            ("out of scope", self.out_of_scope_answered),
            ("leak", self.leaks),
            ("2FA", self.second_factor_skipped),
            ("formula", self.live_formulas),
            ("5xx", self.server_errors),
        ):
            lines.extend(f"  {title}: {item}" for item in items[:10])
        return "\n".join(lines)


class Budget(Exception):
    pass


class Probe:
    """HTTP with counting, leak search and the bounds."""

    def __init__(self, base: str, secrets: list[str], figures: Figures, args) -> None:
        self.base, self.secrets, self.figures = base, secrets, figures
        self.max_requests, self.deadline = args.max_requests, time.monotonic() + args.max_seconds

    def send(self, http, method: str, url: str, *, scan: bool = True, **kwargs):
        if self.figures.requests >= self.max_requests or time.monotonic() > self.deadline:
            raise Budget
        self.figures.requests += 1
        if method != "GET" and "csrftoken" in http.cookies:  # a browser's form would carry it
            kwargs["headers"] = {
                "X-CSRFToken": http.cookies["csrftoken"],
                "Referer": self.base + "/",
                **kwargs.get("headers", {}),
            }
        response = http.request(
            method, urljoin(self.base, url), allow_redirects=False, timeout=30, **kwargs
        )
        label = f"{method} {url}"
        if response.status_code >= 500:
            self.figures.server_errors.append(f"{label}: {response.status_code}")
        text = _readable(response) if scan else ""
        sent = json.dumps(kwargs.get("json"), ensure_ascii=False) + str(kwargs.get("data"))
        # What the attacker typed itself (their phone, as an office's) is no leak when it comes back.
        if found := [secret for secret in self.secrets if secret in text and secret not in sent]:
            self.figures.leaks.append(f"{label}: {found}")
        return response


def _readable(response) -> str:
    kind = response.headers.get("Content-Type", "")
    if kind.startswith("application/pdf"):
        from pypdf import PdfReader

        try:
            pages = PdfReader(io.BytesIO(response.content)).pages
            return "\n".join(page.extract_text() for page in pages)
        except Exception:  # noqa: BLE001 - an unreadable PDF leaks nothing readable
            return ""
    if "spreadsheetml" in kind:
        return "\n".join(str(value) for value in _xlsx_cells(response.content))
    return response.content.decode(errors="replace")


def _xlsx_cells(content: bytes):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield cell.value


# The world ---------------------------------------------------------------------------------------


def setup(engine: str, database_url: str) -> dict:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.server_settings"
    # Its own var dir (secret key, static files, uploads), inherited by the server.
    os.environ["ABWAB_VAR_DIR"] = str(REPO / "var" / "bench" / "attack-var")
    if engine == "postgres":
        from bench.door_lookup import prepare_database

        prepare_database(database_url, reuse=False)
        os.environ["DATABASE_URL"] = database_url
        os.environ.pop("BENCH_DB_NAME", None)
    else:
        path = REPO / "var" / "bench" / "attack.sqlite3"
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("attack.sqlite3*"):
            old.unlink()
        os.environ.pop("DATABASE_URL", None)
        os.environ["BENCH_DB_NAME"] = str(path)
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.core.management import call_command

    from abwab.listening.models import Category
    from abwab.listening.reference import ensure_categories
    from abwab.people.models import Skill
    from abwab.people.reference import ensure_skills
    from abwab.territory import sources
    from abwab.territory.services import territory_load

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # production serves a manifest
    territory_load(rows=sources.from_package())
    ensure_skills(Skill)
    ensure_categories(Category)
    return world()


def world() -> dict:
    """Two places, their secretaries and a regional secretary without a second factor."""
    import datetime

    from django.utils import timezone

    from abwab.accounts.models import RoleAssignment, User
    from abwab.accounts.tokens import token_create
    from abwab.campaigns.models import Campaign, CampaignStatus, Event, EventStatus
    from abwab.core.roles import Role
    from abwab.listening.models import Category, Concern, Dossier
    from abwab.people.services import member_register, person_create
    from abwab.territory.models import Office, Territory

    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name_ar="الأبواب المفتوحة",
        name_fr="Portes ouvertes",
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=30),
        memo_ar="-",
        territory=Territory.objects.get(code="MA"),
        status=CampaignStatus.LAUNCHED,
    )
    places = {}
    for key, province in (("taounate", "03.531"), ("meknes", "03.061")):
        node = Territory.objects.get(code=province).children.filter(level=3).order_by("code")[0]
        office = Office.objects.create(territory=node, name_ar=f"office-{key}", name_fr=key)
        person = person_create(
            actor=None,
            territory=node,
            office=office,
            first_name_ar="سعاد",
            last_name_latin=f"person-{key}",
            cin=SECRET_CIN if key == "meknes" else "",
            phone=SECRET_PHONE if key == "meknes" else "",
        )
        membership = member_register(
            actor=None, person=person, consent_given=True, office=office, joined_on=today
        )
        event = Event.objects.create(
            campaign=campaign,
            office=office,
            starts_on=today,
            ends_on=today,
            opens_at=datetime.time(0),
            closes_at=datetime.time(23, 59),
            status=EventStatus.OPEN,
        )
        category = Category.objects.get(code="water")
        dossier = Dossier.objects.create(territory=node, category=category)
        concern = Concern.objects.create(
            territory=node,
            category=category,
            dossier=dossier,
            description=f"secret concern of {key}",
            event=event,
            office=office,
            client_key=f"concern-{key}",
        )
        user = User.objects.create_user(username=f"attack-{key}", password=PASSWORD)
        RoleAssignment.objects.create(
            user=user, role=Role.PROVINCIAL_SECRETARY, territory=node.parent
        )
        _token, secret = token_create(user=user, name="attack")
        places[key] = SimpleNamespace(
            key=key,
            node=node,
            office=office,
            person=person,
            membership=membership,
            event=event,
            dossier=dossier,
            concern=concern,
            user=user,
            token=secret,
        )
    regional = User.objects.create_user(username="attack-regional", password=PASSWORD)
    RoleAssignment.objects.create(
        user=regional, role=Role.REGIONAL_SECRETARY, territory=Territory.objects.get(code="03")
    )
    meknes = places["meknes"]
    places["secrets"] = [
        meknes.person.last_name_latin,
        meknes.membership.card_number,
        SECRET_CIN,
        SECRET_PHONE,
        meknes.concern.description,
    ]
    return places


# The probes --------------------------------------------------------------------------------------


def log_in(probe: Probe, username: str):
    import requests

    http = requests.Session()
    page = probe.send(http, "GET", "/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    probe.send(
        http,
        "POST",
        "/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    return http


def urls_in_scope_and_out(mine, theirs) -> list[tuple[str, str, str]]:
    """(route, my URL, their URL) for every route the isolation table can build for both."""
    from django.urls import NoReverseMatch, reverse

    from abwab.core.tests.isolation import LIST_ROUTES, OBJECT_ROUTES, POST_ROUTES

    found = []
    for name, (attribute, kwargs) in OBJECT_ROUTES.items():
        if getattr(mine, attribute, None) is None or getattr(theirs, attribute, None) is None:
            continue
        try:
            found.append(
                (
                    name,
                    reverse(name, kwargs=kwargs(getattr(mine, attribute))),
                    reverse(name, kwargs=kwargs(getattr(theirs, attribute))),
                )
            )
        except (NoReverseMatch, AttributeError):
            continue
    for name, spec in POST_ROUTES.items():
        if "kwargs" in spec and getattr(theirs, spec["attribute"], None) is not None:
            found.append(
                (
                    name,
                    reverse(name, kwargs=spec["kwargs"](getattr(mine, spec["attribute"]))),
                    reverse(name, kwargs=spec["kwargs"](getattr(theirs, spec["attribute"]))),
                )
            )
    for name, kwargs in LIST_ROUTES.items():
        if kwargs is None:
            found.append((name, reverse(name), reverse(name)))
    return found


def ids_in_urls(probe: Probe, http, routes) -> None:
    for name, mine, theirs in routes:
        if mine == theirs or name.startswith("api:"):
            continue
        for method in ("GET", "POST"):
            answer = probe.send(http, method, theirs)
            if answer.status_code not in (404, 405):
                probe.figures.out_of_scope_answered.append(
                    f"{method} {theirs} ({name}): {answer.status_code}"
                )


def ids_in_forms(probe: Probe, http, routes, theirs) -> None:
    from abwab.core.tests import attack

    for name, mine, _theirs in routes:
        if name.startswith("api:"):
            continue
        page = probe.send(http, "GET", mine)
        if page.status_code != 200 or not page.headers.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        for form in attack.post_forms(page.text):
            action = urljoin(mine, form["action"]) if form["action"] else mine
            if action.startswith(("/accounts/", "/i18n/")):
                continue
            fields = attack.swapped(form["fields"], theirs)
            for button in form["buttons"] or [None]:
                data = [*fields, *([button] if button else [])]
                probe.send(http, "POST", action, data=data, headers={"Referer": probe.base + mine})


def keys_used_in_meknes(probe: Probe, theirs) -> list[str]:
    """Meknès's secretary uses its keys (a concern and a check-in of its own), before the attack."""
    import requests

    other = requests.Session()
    other.headers["Authorization"] = f"Bearer {theirs.token}"
    keys = [f"replayed-{theirs.key}-1", f"replayed-{theirs.key}-2", theirs.concern.client_key]
    probe.send(
        other,
        "POST",
        "/api/listening/concerns",
        json={
            "client_key": keys[0],
            "territory_code": theirs.node.code,
            "category": "water",
            "description": theirs.concern.description,
        },
        headers={"Idempotency-Key": keys[0]},
        scan=False,  # Meknès's own answer
    )
    probe.send(
        other,
        "POST",
        f"/api/campaigns/events/{theirs.event.pk}/checkins",
        json={"client_key": keys[1], "name": "س", "purpose": "information"},
        headers={"Idempotency-Key": keys[1]},
        scan=False,
    )
    return keys


def api_bodies_and_keys(probe: Probe, mine, theirs, keys: list[str]) -> None:
    import requests

    from abwab.core.tests import attack

    spec = requests.get(probe.base + "/api/openapi.json", timeout=30).json()
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {mine.token}"
    for method, template, operation in attack.api_writes(spec):
        body_schema = attack.request_body_schema(operation)
        variants = (
            attack.body_variants(body_schema, spec, mine, theirs, keys)
            if body_schema
            else [(None, key) for key in keys]
        )
        params = [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]
        for i, (body, key) in enumerate(variants):
            for place in (mine, theirs) if params and i == 0 else (mine,):
                values = {p: attack.value_of(place, attack.record_of(p) or "", p) for p in params}
                if None in values.values():
                    continue  # a kind of record this probe's world does not hold
                url = template.format(**values)
                answer = probe.send(http, method, url, json=body, headers={"Idempotency-Key": key})
                if place is theirs and answer.status_code not in (404, 405, 422):
                    probe.figures.out_of_scope_answered.append(
                        f"{method} {url}: {answer.status_code}"
                    )


def second_factor_skipped(probe: Probe, routes) -> None:
    """The regional secretary, password only: every API operation and every page."""
    import requests

    http = log_in(probe, "attack-regional")
    spec = requests.get(probe.base + "/api/openapi.json", timeout=30).json()
    for path, methods in spec["paths"].items():
        url = re.sub(r"\{[^}]+\}", "1", path)
        for method in methods:
            answer = probe.send(http, method.upper(), url, json={})
            if answer.status_code not in REFUSED:
                probe.figures.second_factor_skipped.append(
                    f"{method.upper()} {url}: {answer.status_code}"
                )
    for name, mine, _theirs in routes:
        if name.startswith("api:"):
            continue
        answer = probe.send(http, "GET", mine)
        if not (
            answer.status_code in (*REFUSED, 404)
            or (answer.status_code == 302 and "second-factor" in answer.headers["Location"])
        ):
            probe.figures.second_factor_skipped.append(f"GET {mine}: {answer.status_code}")


def formulas_in_exports(probe: Probe, mine) -> None:
    import requests

    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {mine.token}"
    for i, payload in enumerate(FORMULAS):
        probe.send(
            api,
            "POST",
            "/api/people/",
            json={
                "territory_code": mine.node.code,
                "first_name_ar": "سعاد",
                "last_name_latin": payload,
                "email": f"formula{i}@attack.example",
            },
        )
    http = log_in(probe, "attack-taounate")
    page = probe.send(http, "GET", "/people/export/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    for kind in ("csv", "xlsx"):
        answer = probe.send(
            http,
            "POST",
            "/people/export/",
            data={"reason": "attack probe", "format": kind, "csrfmiddlewaretoken": token},
            headers={"Referer": probe.base + "/people/export/"},
        )
        if answer.status_code != 200:
            probe.figures.live_formulas.append(f"{kind} export answered {answer.status_code}")
            continue
        if kind == "csv":
            cells = [c for row in csv.reader(io.StringIO(answer.content.decode())) for c in row]
        else:
            cells = [c for c in _xlsx_cells(answer.content) if isinstance(c, str)]
        live = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
        probe.figures.live_formulas += [f"{kind}: {cell!r}" for cell in live]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.attack", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--engine", choices=("postgres", "sqlite"), default="sqlite")
    parser.add_argument("--database-url", default=DEFAULT_PG)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-requests", type=int, default=5000)
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args(argv)

    from bench.server import Gunicorn

    places = setup(args.engine, args.database_url)
    mine, theirs = places["taounate"], places["meknes"]
    from abwab.core.tests import attack

    figures = Figures()
    env = {
        "REQUIRE_2FA": "1",
        "ABWAB_DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",  # loopback, plain http: what is probed is the application
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
    }
    log = REPO / "var" / "bench" / "attack-gunicorn.log"
    started = time.perf_counter()
    with Gunicorn(workers=args.workers, env=env, log_path=log) as server:
        print(f"gunicorn {server.workers} workers on {server.url}, {args.engine}, REQUIRE_2FA=1")
        probe = Probe(server.url, places["secrets"], figures, args)
        routes = urls_in_scope_and_out(mine, theirs)
        keys = keys_used_in_meknes(probe, theirs)
        before = attack.digest(theirs.node.path)
        try:
            session = log_in(probe, "attack-taounate")
            ids_in_urls(probe, session, routes)
            ids_in_forms(probe, session, routes, theirs)
            api_bodies_and_keys(probe, mine, theirs, keys)
            second_factor_skipped(probe, routes)
            formulas_in_exports(probe, mine)
        except Budget:
            print("stopped: --max-requests or --max-seconds reached")
    figures.seconds = time.perf_counter() - started
    from django.db import connections

    connections.close_all()
    figures.rows_changed = attack.changed(before, attack.digest(theirs.node.path))
    print(figures.table())
    print(f"uptime: {os.popen('uptime').read().strip()}")  # noqa: S605, S607
    return 1 if figures.failed() else 0


if __name__ == "__main__":
    sys.exit(main())
