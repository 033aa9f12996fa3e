"""The audit log page speaks the reader's language (actions, objects, distinct column headers),
filters by days with checked input, and stays within a phone's width."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from abwab.core.audit_labels import action_label, object_label
from abwab.core.models import AuditEntry
from abwab.territory.models import Territory
from conftest import in_arabic

pytestmark = pytest.mark.django_db
URL = reverse("core:audit")


def visible_text(html: str) -> str:
    """The page's text without tags, attributes, scripts and styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def entry(code: str, *, action: str, day: datetime.date, who: str = "someone") -> AuditEntry:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))
    return AuditEntry.objects.create(
        actor_label=who,
        action=action,
        object_type="people.Person",
        object_id="7",
        method="POST",
        path="/people/7/",
        at=moment,
        territory=Territory.objects.get(code=code),
    )


def test_actions_and_objects_are_words_and_the_headers_are_distinct(client, actors, places):
    client.force_login(actors.taounate)
    client.get(reverse("people:list"))
    client.post(reverse("people:export", args=[places["taounate_a"].person.pk]), {"reason": "r"})
    client.force_login(actors.auditor)
    html = client.get(URL).content.decode()
    text = visible_text(html)
    for code in ("read_list", "people.Person", "POST"):
        assert code not in text
    assert in_arabic("list consultation") in text and in_arabic("export") in text
    assert in_arabic("person") in text  # people.Person's verbose name
    headers = re.findall(r"<th[^>]*>(.*?)</th>", html)
    assert len(headers) == 7 and len(set(headers)) == 7


def test_every_logged_action_has_a_label_and_unknown_codes_never_show_raw():
    assert action_label("communique.publish") == "publication"
    assert action_label("campaign.launched") == "launch"
    assert action_label("campaign.draft") == "back to draft"
    assert action_label("office.update") == "update"
    assert action_label("read") == "consultation"
    assert action_label("some.thing_new") == "other action"
    assert object_label("nowhere.Nothing") == "" and object_label("") == ""


def test_days_filter_keeps_both_ends_and_the_scope(client, actors, places):
    day = datetime.date(2026, 3, 10)
    for offset in (-1, 0, 1, 2):
        entry("03.531", action="write", day=day + datetime.timedelta(days=offset), who=f"t{offset}")
    entry("03.061", action="write", day=day, who="elsewhere")  # Meknès: outside the auditor's scope
    client.force_login(actors.auditor)
    response = client.get(URL, {"since": "2026-03-10", "until": "2026-03-11"})
    shown = {e.actor_label for e in response.context["entries"]}
    assert shown == {"t0", "t1"}
    typed = client.get(URL, {"since": "10/03/2026", "until": "10/03/2026"})  # day/month/year
    assert {e.actor_label for e in typed.context["entries"]} == {"t0"}


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2026-03-12", "until": "2026-03-10"},
        {"since": "03/30/2026"},  # month/day/year is not a Moroccan day
        {"until": "2026-02-30"},
    ],
)
def test_bad_days_are_refused_with_a_message_and_list_nothing(client, actors, places, query):
    entry("03.531", action="write", day=datetime.date(2026, 3, 10))
    client.force_login(actors.auditor)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response.context["entries"] == []
    assert 'role="alert"' in response.content.decode()
    messages = [m for errors in response.context["form"].errors.values() for m in errors]
    expected = (
        in_arabic("The first day must come before the last one.")
        if "since" in query and "until" in query
        else in_arabic("Enter a day as year-month-day.")
    )
    assert messages == [expected]


def test_the_action_menu_offers_translated_verbs_and_filters_by_verb(client, actors, places):
    entry("03.531", action="office.update", day=datetime.date(2026, 3, 10), who="updater")
    entry("03.531", action="read", day=datetime.date(2026, 3, 10), who="reader")
    client.force_login(actors.auditor)
    response = client.get(URL, {"action": "update"})
    assert {e.actor_label for e in response.context["entries"]} == {"updater"}
    choices = dict(response.context["form"].fields["action"].choices)
    assert choices["update"] == in_arabic("update") and choices["read"] == in_arabic("consultation")
