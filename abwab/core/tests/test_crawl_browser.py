"""Every demo role walks every page it is shown, to depth 2 from its home page and menus, in Arabic
and French, at a phone's width (390 px) and a laptop's (1366 px).

One live server, one database, one browser; each role signs in by a session cookie (with its second
factor confirmed and passed, as after a full login). URLs are grouped by pattern (/people/12/ and
/people/13/ are one page). On every page × role × language × width: the answer is 200, nothing
scrolls sideways, no visible text is an untranslated code, numbers in inputs are not cut. Links
found on the deepest pages are checked for their status only. axe-core (serious and critical
impact) runs once per distinct page and language, at the laptop width, to stay within CI's budget.
"""

import os
import re
import time
from collections import defaultdict

import pytest
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

from abwab.accounts import twofactor
from abwab.accounts.tests.factories import confirmed_factor
from abwab.core.tests import crawl
from conftest import SignedInClient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ("admin", "fes_meknes", "taounate", "local", "volunteer", "media", "auditor", "fes_north")
# While fixing one role's pages: ABWAB_CRAWL_ROLES=volunteer,media (the suite always walks all).
ROLES = (
    tuple(os.environ.get("ABWAB_CRAWL_ROLES", "").split(","))
    if os.environ.get("ABWAB_CRAWL_ROLES")
    else ROLES
)
LANGUAGES = ("ar", "fr")
WIDTHS = (1366, 390)
DEPTH = 2

# Defects the crawl finds in areas other engineers own (issue 15). Each entry is
# (check, URL pattern, detail prefix); the lead empties these once their fixes are merged.
ALLOWED = {
    "code": (
        # Area "texts" (the audit page's content): the log names who acted by username.
        ("code", "/audit/", "admin"),
        ("code", "/audit/", "fes_meknes"),
        ("code", "/audit/", "fes_north"),
        ("code", "/audit/", "volunteer"),
    ),
}


def _session_cookie(user, live_server) -> dict:
    if twofactor.requires_second_factor(user):
        confirmed_factor(user)
    client = SignedInClient()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def _allowed(check: str, pattern: str, detail: str) -> bool:
    return any(
        check == c and pattern == p and detail.startswith(d) for c, p, d in ALLOWED.get(check, ())
    )


def in_language(url: str, language: str) -> str:
    """The same address asking for `language` where it names one (`?lang=` on public pages)."""
    return re.sub(r"([?&]lang=)(ar|fr)\b", rf"\g<1>{language}", url)


def link_status(context, url: str, origin: str) -> int:
    """A link's status as a visitor meets it: redirects inside the site are followed; a redirect
    out of it (a hand-off to a messaging app, wa.me) is the link working, and is not fetched (the
    machine that runs the tests has no internet)."""
    response = context.request.get(url, max_redirects=0)
    location = response.headers.get("location", "")
    if 300 <= response.status < 400 and location.startswith(("http://", "https://")):
        if not location.startswith(origin + "/"):
            return 200
    if 300 <= response.status < 400:
        return context.request.get(url, max_redirects=5).status
    return response.status


def test_every_role_follows_every_shown_link_in_both_languages_and_widths(
    browser, live_server, transactional_territory, places, actors
):
    started = time.monotonic()
    origin = live_server.url
    problems: list[str] = []
    checked = defaultdict(set)  # (role, language, width) -> patterns checked in the browser
    axed = set()  # (pattern, language)
    statuses = 0

    def report(check, role, language, width, pattern, detail):
        line = f"{check} {pattern} [{role} {language} {width}px]: {detail}"
        if not _allowed(check, pattern, str(detail)):
            problems.append(line)
        else:
            print("allowed:", line)

    spent = defaultdict(float)

    def timed(kind, call, *args, **kwargs):
        begun = time.monotonic()
        try:
            return call(*args, **kwargs)
        finally:
            spent[kind] += time.monotonic() - begun

    for role in ROLES:
        user = getattr(actors, role)
        # Real accounts carry a name; the page greets by it (a username would read as a code).
        user.first_name, user.last_name = "Amina", role.replace("_", " ").title()
        user.save(update_fields=["first_name", "last_name"])
        cookie = _session_cookie(user, live_server)
        pages_of_role: list[tuple[str, str]] = []  # (url, pattern) shown to the role, rendered
        for language in LANGUAGES:
            context = browser.new_context(
                locale="ar-MA" if language == "ar" else "fr-FR",
                viewport={"width": WIDTHS[0], "height": 900},
            )
            context.add_cookies(
                [cookie, {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": origin}]
            )
            page = context.new_page()
            page.set_default_timeout(15_000)
            first = not pages_of_role
            # The first language discovers the role's pages (and checks every shown link's
            # status, which does not depend on the language); the second renders the same pages.
            # (a public page's links carry their language, ?lang=: the second pass asks for its own)
            queue = (
                [(origin + "/", 0, "/")]
                if first
                else [(in_language(u, language), 0, p) for u, p in pages_of_role]
            )
            seen = set()
            while queue:
                url, depth, source = queue.pop(0)
                path = url[len(origin) :]
                pattern = crawl.url_pattern(path)
                if pattern in seen:
                    continue
                seen.add(pattern)
                # A query variant of a page already rendered (?territory=, ?month=) is the same
                # template: its status is checked, its rendering was.
                variant = "?" in pattern and pattern.split("?")[0] in seen
                if depth > DEPTH or variant or not crawl.rendered(path):
                    statuses += 1
                    status = timed("status", link_status, context, url, origin)
                    if status != 200:
                        report("status", role, "-", "-", pattern, f"{status} from {source}")
                    continue
                try:
                    response = timed("goto", page.goto, url, wait_until="domcontentloaded")
                except PlaywrightError as error:  # a file served without a file-like address
                    if "Download is starting" not in str(error):
                        raise
                    status = timed("status", link_status, context, url, origin)
                    if status != 200:
                        report("status", role, "-", "-", pattern, f"{status} from {source}")
                    continue
                if response.status != 200:
                    report(
                        "status", role, language, "-", pattern, f"{response.status} from {source}"
                    )
                    continue
                if first:
                    pages_of_role.append((url, pattern))
                links = []
                for width in WIDTHS:
                    if page.viewport_size["width"] != width:
                        page.set_viewport_size({"width": width, "height": 900})
                    measure = timed("measure", page.evaluate, crawl.MEASURE)
                    checked[(role, language, width)].add(pattern)
                    if measure["scrollWidth"] > measure["width"]:
                        report("scroll", role, language, width, pattern, measure["scrollWidth"])
                    for cut in measure["cut"]:
                        report("input", role, language, width, pattern, cut)
                    for code in sorted(set(crawl.untranslated_codes(measure["texts"], language))):
                        report("code", role, language, width, pattern, code)
                    links = links or measure["links"]
                    menu = set(measure["menu"])
                page.set_viewport_size({"width": WIDTHS[0], "height": 900})
                if (pattern, language) not in axed:
                    axed.add((pattern, language))
                    # From the server's static files: the pages' CSP refuses inline scripts.
                    timed("axe", page.add_script_tag, url=origin + crawl.AXE_URL)
                    for violation in timed("axe", page.evaluate, crawl.AXE_RUN):
                        report("axe", role, language, WIDTHS[0], pattern, violation)
                if first:
                    # The menu is on every page: its links count as the start (depth 0).
                    queue.extend(
                        (link, 0 if link in menu else depth + 1, pattern)
                        for link in dict.fromkeys(links)
                        if crawl.followed(link, origin)
                    )
            context.close()

    pages = {p for patterns in checked.values() for p in patterns}
    combos = sum(len(patterns) for patterns in checked.values())
    print(
        f"\ncrawl: {len(pages)} pages × {len(ROLES)} roles × {len(LANGUAGES)} languages × "
        f"{len(WIDTHS)} widths: {combos} page views checked, {statuses} further links' status, "
        f"axe on {len(axed)} page-languages, {time.monotonic() - started:.1f} s ("
        + ", ".join(f"{kind} {seconds:.1f} s" for kind, seconds in spent.items())
        + ")"
    )
    print("pages:", " ".join(sorted(pages)))
    assert not problems, "\n".join(sorted(set(problems)))
