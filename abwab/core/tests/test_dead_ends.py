"""No dead ends: a page shows a role only the links it can follow (issue 15), the menu leads to the
audit log those who may read it, and a missing page answers in the user's language."""

import re
from urllib.parse import urljoin

from django.urls import reverse

from abwab.core.tests.crawl import url_pattern
from conftest import in_arabic

HREF = re.compile(r'href="([^"#]+)"')
SKIPPED = ("/i18n/", "/static/", "/accounts/logout/")


def _links(client, path: str) -> list[str]:
    response = client.get(path)
    assert response.status_code == 200, path
    links = {urljoin(path, href.replace("&amp;", "&")) for href in HREF.findall(response.text)}
    # PDFs are left to the browser crawl (each one is rendered, seconds apiece).
    return sorted(
        link
        for link in links
        if link.startswith("/") and not link.startswith(SKIPPED) and ".pdf" not in link
    )


def _dead_ends(client, paths: list[str]) -> list[str]:
    """Links that do not answer 200, one per URL pattern (/people/12/ and /people/13/ once)."""
    dead, tried = [], set()
    for path in paths:
        for link in _links(client, path):
            if url_pattern(link) in tried:
                continue
            tried.add(url_pattern(link))
            if (status := client.get(link).status_code) != 200:
                dead.append(f"{link} ({status}) on {path}")
    return dead


def test_the_members_list_and_the_dashboard_link_only_where_the_role_may_go(client, actors, places):
    """A volunteer was offered "Register a person", import, export and print links (404s), and
    the dashboard's "↑" led above the role's scope (404)."""
    pages = ["/", reverse("people:list"), reverse("reports:dashboard")]
    dead = {}
    for role in ("volunteer", "media", "auditor", "local"):
        client.force_login(getattr(actors, role))
        dead[role] = _dead_ends(client, pages)

    assert dead == {"volunteer": [], "media": [], "auditor": [], "local": []}


def test_a_territory_and_its_bodies_link_no_office_holders_for_a_media_officer(
    client, actors, places
):
    """Media officers do not read office holders' names: no link to a body's page for them."""
    client.force_login(actors.media)
    node = places["taounate_a"].node

    dead = _dead_ends(
        client,
        [
            reverse("territory:detail", args=[node.pk]),
            reverse("territory:body_list") + f"?territory={node.code}",
        ],
    )

    assert dead == []


def test_the_dashboard_goes_one_level_up_only_within_the_scope(client, actors, places):
    client.force_login(actors.fes_meknes)
    page = client.get(reverse("reports:dashboard"), {"territory": "03.531"}).text
    assert 'href="?territory=03"' in page  # Taounate's region is the secretary's own
    top = client.get(reverse("reports:dashboard")).text
    assert 'href="?territory=MA"' not in top  # the nation is above the regional scope


def test_the_menu_leads_to_the_audit_log_for_those_who_read_it(client, actors, places):
    audit = reverse("core:audit")
    shown = {}
    for role in ("auditor", "admin", "volunteer", "taounate"):
        client.force_login(getattr(actors, role))
        menu = client.get("/").text.split("</nav>")[0]
        shown[role] = (f'href="{audit}"' in menu, client.get(audit).status_code)

    assert shown == {
        "auditor": (True, 200),
        "admin": (True, 200),
        "volunteer": (False, 404),
        "taounate": (False, 404),
    }


def test_a_missing_page_answers_in_the_users_language(client, actors):
    client.force_login(actors.volunteer)

    response = client.get("/people/nowhere/")

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]
    assert '<html lang="ar" dir="rtl">' in response.text
    assert in_arabic("Page not found") in response.text


def test_an_open_event_offers_its_door_desk_only_to_those_who_keep_it(client, actors, places):
    """Media officers and auditors see an event, not its desk (the link was a 404 for them)."""
    event = places["taounate_a"].event
    page = reverse("campaigns:event", args=[event.pk])
    desk = reverse("campaigns:door", args=[event.pk])
    offered = {}
    for role in ("media", "auditor", "volunteer"):
        client.force_login(getattr(actors, role))
        offered[role] = (f'href="{desk}"' in client.get(page).text, _dead_ends(client, [page]))

    assert offered == {"media": (False, []), "auditor": (False, []), "volunteer": (True, [])}
