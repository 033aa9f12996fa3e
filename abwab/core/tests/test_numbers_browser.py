"""Numbers typed in fields are seen whole on an Arabic phone (issue 15: readiness quantities
100/200/300 read "00", the target split showed 280 for 1280 and 705 for 1705).

Cheap by design: the pages are rendered by the test client (no live server, no transactional
database) and laid out by Chromium with the site's stylesheet, one page load per screen."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from abwab.campaigns.models import CampaignItem, ReadinessItem, Target
from abwab.campaigns.targets import target_set_top, targets_split
from abwab.territory.models import Territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
WIDTH = 390
CSS = Path(__file__).resolve().parents[1] / "static" / "abwab" / "app.css"
QUANTITIES = (100, 200, 300, 1280, 1705, 999_999)
# A field's value is cut when its text is wider than the field's room: the content box less a
# number field's spin buttons. scrollWidth alone misses it for type=number (Chromium reports no
# overflow there), hence the text measured with the field's own font.
CLIPPED = """() => { const pen = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('input')]
    .filter(i => !['hidden', 'checkbox', 'radio', 'date', 'time', 'datetime-local', 'file']
      .includes(i.type) && i.value && i.offsetParent !== null)
    .map(i => { const style = getComputedStyle(i); pen.font = style.font;
      const room = i.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
        - (i.type === 'number' ? 15 : 0);
      const text = pen.measureText(i.value).width;
      return [i.name, i.value, Math.ceil(Math.max(text, i.scrollWidth - i.clientWidth + room)),
              Math.floor(room)]; }); }"""


def laid_out(browser, html: str) -> list:
    """Every visible field with a value as [name, value, width needed, room], at 390 px."""
    html = re.sub(r"<script[^>]*></script>", "", html)
    html = re.sub(r'<link rel="stylesheet"[^>]*>', f"<style>{CSS.read_text()}</style>", html)
    context = browser.new_context(locale="ar-MA", viewport={"width": WIDTH, "height": 844})
    try:
        page = context.new_page()
        page.set_content(html)
        return page.evaluate(CLIPPED)
    finally:
        context.close()


def test_quantities_are_seen_whole_in_arabic_on_a_phone(browser, client, actors, places):
    event = places["taounate_b"].event
    campaign = event.campaign
    for index, needed in enumerate(QUANTITIES):
        ReadinessItem.objects.create(
            event=event,
            kind="other",
            label=f"item {index}",
            needed=needed,
            allocated=needed,
            delivered=needed,
        )
        CampaignItem.objects.create(
            campaign=campaign, kind="other", label=f"item {index}", needed=needed
        )
    nation = Territory.objects.get(code="MA")
    Target.objects.filter(campaign=campaign).delete()
    target_set_top(
        actor=actors.admin,
        campaign=campaign,
        new_members=1705,
        professionals=1280,
        visitors=999_999,
    )
    targets_split(actor=actors.admin, campaign=campaign, territory=nation)
    client.force_login(actors.admin)
    screens = {
        "readiness": reverse("campaigns:event", args=[event.pk]),
        "memo list": reverse("campaigns:items", args=[campaign.pk]),
        "split": reverse("campaigns:split", args=[campaign.pk, nation.pk]),
    }
    for screen, url in screens.items():
        answer = client.get(url)
        assert answer.status_code == 200, screen
        fields = laid_out(browser, answer.content.decode())
        values = {value for _name, value, _needed, _room in fields}
        assert any(len(value) >= 4 for value in values), (screen, values)  # wide numbers shown
        clipped = [field for field in fields if field[2] > field[3] + 1]
        assert clipped == [], (screen, clipped)
    # The check sees what the issue saw: 1705 in a field as narrow as the old ones reads "705".
    narrow = '<html dir="rtl"><input type="number" name="n" value="1705" style="width:3rem;font:16px sans-serif">'
    (field,) = laid_out(browser, narrow)
    assert field[2] > field[3] + 1, field
