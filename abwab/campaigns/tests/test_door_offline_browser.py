"""In Chromium: the door desk goes offline, three visitors are registered, the connection returns,
each is stored once, and syncing again changes nothing."""

import json

import pytest

from abwab.campaigns.models import CheckIn
from abwab.people.models import DuplicateCluster, Membership, Person
from conftest import log_in, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISITORS = ["زائر أول", "زائرة ثانية", "سعيد المرابط"]


def counts():
    return (CheckIn.objects.count(), Person.objects.count(), Membership.objects.count())


def register(page, name, *, signup=False):
    before = int(page.locator("#pending-count").inner_text())
    page.fill("input[name=name]", name)
    if signup:
        page.check("input[name=purpose][value=membership]")
        page.fill("input[name=signup-first_name_ar]", "سعيد")
        page.fill("input[name=signup-last_name_ar]", "المرابط")
        page.fill("input[name=signup-birth_date]", "1988-07-14")
        page.check("input[name=signup-consent]")
    else:
        page.check("input[name=purpose][value=information]")
    page.click("button.big")
    page.wait_for_selector(f"body[data-pending='{before + 1}']")


def test_offline_desk_keeps_three_visitors_and_stores_each_once(
    page, transactional_territory, actors, places
):
    event = places["taounate_a"].event
    log_in(page, "volunteer")
    desk = page.base_url + f"/campaigns/events/{event.pk}/door/offline/"
    page.goto(desk)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker, which keeps the page for offline starts
    assert page.evaluate(  # (wait_for_function would need eval, which the CSP forbids)
        """() => navigator.serviceWorker.controller !== null || new Promise((resolve) =>
            navigator.serviceWorker.addEventListener("controllerchange", () => resolve(true)))"""
    )
    page.wait_for_selector("#desk-state[data-state=online]")
    before = counts()

    page.context.set_offline(True)
    page.reload()  # the desk starts without a connection, from the kept copy
    page.wait_for_selector("#desk-state[data-state=offline]")
    register(page, VISITORS[0])
    register(page, VISITORS[1])
    register(page, VISITORS[2], signup=True)
    assert page.locator("#pending-list li").count() == 3
    screenshot(page, "door-offline-pending-ar")
    kept = page.evaluate(
        """() => new Promise((resolve) => {
            const open = indexedDB.open("abwab-door", 1);
            open.onsuccess = () => {
                const all = open.result.transaction("entries").objectStore("entries").getAll();
                all.onsuccess = () => resolve(all.result);
            };
        })"""
    )
    assert len(kept) == 3
    text = json.dumps(kept, ensure_ascii=False)
    for name in [*VISITORS, "المرابط", "1988-07-14"]:
        assert name not in text  # sealed: the device keeps no readable personal data
    assert counts() == before  # nothing reached the server

    page.context.set_offline(False)
    page.wait_for_selector("body[data-pending='0']", timeout=30_000)
    assert counts() == (before[0] + 3, before[1] + 1, before[2] + 1)
    for name in VISITORS:
        assert CheckIn.objects.filter(event=event, name=name).count() == 1
    member = Membership.objects.get(person__last_name_ar="المرابط")
    assert CheckIn.objects.get(name="سعيد المرابط").person_id == member.person_id
    assert DuplicateCluster.objects.filter(people=member.person).count() == 0
    screenshot(page, "door-offline-synced-ar")

    # Sync again, and send the very same sealed entries again as a retrying device would.
    page.click("#sync-now")
    page.wait_for_selector("#desk-state[data-state=online]")
    answers = page.evaluate(
        """async ([url, sealed]) => {
            const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const response = await fetch(url, {method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json", "X-CSRFToken": token},
                body: JSON.stringify({sealed})});
            return (await response.json()).results.map((r) => r.status);
        }""",
        [f"/api/campaigns/events/{event.pk}/sync", [record["sealed"] for record in kept]],
    )
    assert answers == ["already", "already", "already"]
    assert counts() == (before[0] + 3, before[1] + 1, before[2] + 1)
