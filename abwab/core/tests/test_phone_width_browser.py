"""At a phone's width (390 px) French pages of many columns fit the screen (the members list was
460 px wide, the coverage table 454 px), and the dashboard's tiles read at axe's contrast whatever their shade (grey on green was 2.4:1)."""

import pytest
from django.conf import settings

from abwab.core.tests import crawl
from conftest import SignedInClient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tables_fit_a_phone_and_tiles_are_readable(
    browser, live_server, transactional_territory, places, actors
):
    client = SignedInClient()
    client.force_login(actors.taounate)
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 860})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_server.url},
        ]
    )
    page = context.new_page()
    widths = {}
    for path in ("/people/", "/meetings/coverage/"):
        page.goto(live_server.url + path)
        widths[path] = page.evaluate("document.scrollingElement.scrollWidth")

    page.goto(live_server.url + "/dashboard/")
    page.add_script_tag(url=live_server.url + crawl.AXE_URL)
    # Every shade a tile can take (the template marks those above 55 % dark), read by axe.
    contrast = page.evaluate(
        """async () => {
          const tile = document.querySelector('.tiles a');
          const failing = [];
          for (const shade of [0, 30, 50, 55, 56, 70, 85, 100]) {
            tile.style.setProperty('--shade', shade + '%');
            tile.classList.toggle('dark', shade > 55);
            const result = await axe.run(tile, {runOnly: ['color-contrast']});
            if (result.violations.length) failing.push(shade);
          }
          return failing;
        }"""
    )
    context.close()

    assert widths == {"/people/": 390, "/meetings/coverage/": 390}
    assert contrast == []
