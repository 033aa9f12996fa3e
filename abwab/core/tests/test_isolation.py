"""For every role and two sibling territories: in scope answers, out of scope is 404 and unlisted."""

import io
import json

import pytest
from django.apps import apps
from django.urls import reverse
from pypdf import PdfReader

from abwab.core.tests.isolation import (
    LIST_ROUTES,
    OBJECT_ROUTES,
    POST_ROUTES,
    all_routes,
    unclassified_routes,
)

pytestmark = pytest.mark.django_db

# actor -> (a place inside its scope or None, a sibling place outside it or None)
SIDES = {
    "admin": ("oriental", None),
    "fes_meknes": ("taounate_a", "oriental"),
    "taounate": ("taounate_a", "meknes"),
    "meknes": ("meknes", "taounate_a"),
    "local": ("taounate_a", "taounate_b"),
    "volunteer": ("taounate_a", "taounate_b"),
    "media": ("meknes", "oriental"),
    "auditor": ("taounate_b", "meknes"),
    "fes_north": ("fes_north", "fes_south"),
    "outsider": (None, "taounate_a"),
}
# Lists a role may not open at all (the register page and its duplicate lookup by CIN or phone are
# for secretaries; volunteers look up only through their door desk).
NOT_FOR_LISTS = {
    name: {"people:register", "people:duplicates"}
    for name in ("media", "auditor", "outsider", "volunteer")
}
for name in (
    "fes_meknes",
    "taounate",
    "meknes",
    "local",
    "volunteer",
    "media",
    "fes_north",
    "outsider",
):
    NOT_FOR_LISTS.setdefault(name, set()).add(
        "core:audit"
    )  # the audit log: auditors and the administrator
for name in ("media", "outsider", "auditor", "volunteer"):
    NOT_FOR_LISTS[name].update(("people:imports", "people:import_template"))  # secretaries
for name in ("media", "outsider", "volunteer", "auditor"):
    NOT_FOR_LISTS[name].add(
        "people:cards_print"
    )  # a list's cards: secretaries (one card: its page)
for name in ("media", "volunteer", "outsider"):
    NOT_FOR_LISTS[name].add("people:export_list")  # exports of people: secretaries and auditors
NOT_FOR_LISTS["outsider"] |= {
    "reports:dashboard",
    "reports:dashboard_pdf",
    "campaigns:detail",
    "listening:dossiers",
    "meetings:coverage",
}  # no role, no page
for name in ("media", "auditor", "outsider"):
    NOT_FOR_LISTS[name] |= {
        "listening:concern_new"
    }  # recording concerns: secretaries and volunteers
for name in ("volunteer", "media", "outsider"):
    NOT_FOR_LISTS[name] |= {"people:officials", "api:list_officials"}  # names of office holders
NOT_FOR_LISTS["outsider"] |= {"territory:body_list", "api:list_bodies"}  # no node to start from
# issue 16: consent evidence like exports; messages to members and the memo: secretaries only
for name in ("media", "volunteer", "outsider"):
    NOT_FOR_LISTS[name].add("people:consents_evidence_list")
for name in ("media", "volunteer", "auditor", "outsider"):
    NOT_FOR_LISTS[name] |= {"messaging:compose", "campaigns:memo"}
# What a role may not open even inside its territory.
NOT_FOR = {
    # issue 16: consents are read by the roles that read personal data
    *(
        (role, route)
        for role in ("volunteer", "media")
        for route in ("people:consents", "people:consents_evidence")
    ),
    *((role, "messaging:send") for role in ("volunteer", "media")),  # issue 16: recipients
    # office holders are names: secretaries and auditors (issue 13); volunteers see no body at all
    *(
        (role, route)
        for role in ("volunteer", "media")
        for route in ("people:body", "api:get_body_terms", "api:get_person_terms")
    ),
    ("volunteer", "api:get_body"),
    ("volunteer", "api:update_body"),
    # changing a body's rules: its secretaries only
    *((role, "territory:body_edit") for role in ("volunteer", "media", "auditor")),
    ("volunteer", "territory:body_detail"),
    ("media", "people:detail"),  # media officers see aggregates, never names
    ("media", "people:edit"),
    ("volunteer", "people:edit"),
    ("auditor", "people:edit"),  # auditors read only
    # jobs, duplicate clusters and merges carry personal data: secretaries and auditors only
    *(
        (role, route)
        for role in ("volunteer", "media")
        for route in ("core:job", "people:cluster", "people:merge_undo")
    ),
    # the door desk is for those who welcome visitors; splitting targets for secretaries
    *(
        (role, route)
        for role in ("media", "auditor")
        for route in (
            "campaigns:door",
            "campaigns:door_offline",
            "campaigns:door_manifest",
            "campaigns:split",
        )
    ),
    ("volunteer", "campaigns:split"),
    ("volunteer", "listening:dossier"),  # dossiers are the secretariats' work
    ("volunteer", "meetings:detail"),  # attendance lists name people: secretaries and auditors
    *((role, "meetings:founding") for role in ("volunteer", "media")),  # founders are named
    ("media", "meetings:attachment"),
    ("volunteer", "meetings:attachment"),
    ("volunteer", "meetings:communique"),
    ("media", "api:get_decision"),
    # media officers see their meetings (only the names a communiqué publishes); volunteers do not
    *(
        ("volunteer", route)
        for route in (
            "api:get_meeting",
            "api:get_decision",
            "api:list_candidates",
            "api:get_attendance",
            "api:record_attendance",
            "api:get_report",
            "api:update_meeting",
            "api:delete_meeting",
            "api:get_communique",
            "api:update_communique",
        )
    ),
    ("media", "api:get_person"),
    *(
        (role, route)
        for role in ("media", "volunteer", "auditor")
        for route in ("people:export", "people:anonymise")
    ),
    ("media", "api:get_concern"),
    ("media", "people:card_pdf"),
    *((role, "people:cards_file") for role in SIDES),  # a place's job is no card sheet
    ("media", "people:import"),
    ("volunteer", "people:import"),
    ("volunteer", "api:get_dossier"),
    ("media", "campaigns:card"),
}


def readable(response) -> str:
    """The text a person would read in the answer (a PDF's text, not its compressed bytes)."""
    if response["Content-Type"].startswith("application/pdf"):
        return "\n".join(
            page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
        )
    return response.content.decode()


def test_every_route_is_classified():
    assert unclassified_routes() == [], "add these routes to abwab/core/tests/isolation.py"


@pytest.mark.parametrize("actor_name", SIDES)
@pytest.mark.parametrize("route", sorted(OBJECT_ROUTES))
def test_object_routes_answer_inside_and_404_outside(client, actors, places, actor_name, route):
    inside, outside = SIDES[actor_name]
    attribute, kwargs = OBJECT_ROUTES[route]
    client.force_login(getattr(actors, actor_name))
    if inside:
        response = client.get(reverse(route, kwargs=kwargs(getattr(places[inside], attribute))))
        assert response.status_code == (404 if (actor_name, route) in NOT_FOR else 200)
    if outside:
        assert_unreachable(
            client, reverse(route, kwargs=kwargs(getattr(places[outside], attribute)))
        )


@pytest.mark.parametrize("actor_name", SIDES)
@pytest.mark.parametrize("route", sorted(LIST_ROUTES))
def test_lists_never_show_a_sibling(client, actors, places, actor_name, route):
    inside, outside = SIDES[actor_name]
    client.force_login(getattr(actors, actor_name))
    kwargs = LIST_ROUTES[route](places) if LIST_ROUTES[route] else None
    response = client.get(reverse(route, kwargs=kwargs))
    if route in NOT_FOR_LISTS.get(actor_name, ()):
        assert response.status_code == 404
        return
    assert response.status_code == 200
    content = readable(response)
    if outside:
        for name in (
            places[outside].office.name_fr,
            places[outside].body.name_fr,
            places[outside].person.last_name_latin,
        ):
            assert name not in content
        assert f"/territory/{places[outside].node.pk}/" not in content
    if route == "territory:office_list" and inside:
        assert places[inside].office.name_fr in content
    if route == "people:list" and inside:
        assert (places[inside].person.last_name_latin in content) == (actor_name != "media")


@pytest.mark.parametrize("actor_name", [name for name in SIDES if name != "admin"])
def test_admin_is_for_national_administrators_only(client, actors, actor_name):
    user = getattr(actors, actor_name)
    user.is_staff = True  # even a staff flag set by mistake does not open the admin
    user.save()
    client.force_login(user)
    for name, pattern in all_routes():
        if name in ("admin:login", "admin:logout"):
            continue  # a login form, no data
        if pattern.startswith("admin/") and "<" not in pattern and "(?P" not in pattern:
            response = client.get("/" + pattern.replace("^", "").replace("$", ""))
            assert response.status_code in (302, 404), pattern


def test_admin_object_pages_are_closed_to_other_roles(client, actors, places):
    actors.fes_meknes.is_staff = True
    actors.fes_meknes.save()
    client.force_login(actors.fes_meknes)
    response = client.get(f"/admin/territory/office/{places['taounate_a'].office.pk}/change/")
    assert response.status_code == 302
    assert "office-taounate_a" not in response.content.decode()


def test_admin_opens_for_the_national_administrator(client, actors):
    client.force_login(actors.admin)
    assert client.get("/admin/").status_code == 200


def test_anonymous_is_sent_to_login_or_refused_by_the_api(client, places):
    for route, (attribute, kwargs) in OBJECT_ROUTES.items():
        response = client.get(
            reverse(route, kwargs=kwargs(getattr(places["taounate_a"], attribute)))
        )
        if route.startswith("api:"):
            assert (response.status_code, response.json()["code"]) == (401, "unauthenticated")
        else:
            assert response.status_code == 302
            assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("actor_name", SIDES)
@pytest.mark.parametrize("route", sorted(POST_ROUTES))
def test_post_routes_refuse_objects_outside_the_scope(client, actors, places, actor_name, route):
    _inside, outside = SIDES[actor_name]
    if outside is None:
        return
    spec = POST_ROUTES[route]
    target = getattr(places[outside], spec["attribute"])
    model = apps.get_model(spec["model"])
    client.force_login(getattr(actors, actor_name))
    before = model.objects.count()
    url = reverse(route, kwargs=spec["kwargs"](target) if "kwargs" in spec else None)
    data = spec["data"](target)
    response = (
        client.post(url, json.dumps(data), content_type="application/json")
        if spec.get("json")
        else client.post(url, data)
    )
    assert (
        response.status_code in (404, 422)
        if route == "api:create_concern" and actor_name in ("media", "auditor", "outsider")
        else response.status_code == 404
    )
    assert model.objects.count() == before


def assert_unreachable(client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404, f"{url} answered {response.status_code} outside the scope"


def test_a_route_that_skips_the_gate_is_caught(client, actors, places, settings):
    """The checks above, run against a route that reads an office without the scope gate."""
    settings.ROOT_URLCONF = "abwab.core.tests.leaky_urls"
    # A new route nobody classified fails the classification check...
    assert unclassified_routes() == [
        ("leaky_office", "leak/<int:pk>/"),
        ("leaky_office_rename", "leak/rename/"),
    ]
    # ...and, once classified as an object route, the sibling check fails on it.
    client.force_login(actors.taounate)
    with pytest.raises(AssertionError, match="answered 200 outside the scope"):
        assert_unreachable(client, reverse("leaky_office", args=[places["meknes"].office.pk]))
    assert_unreachable(
        client, reverse("territory:office_detail", args=[places["meknes"].office.pk])
    )
