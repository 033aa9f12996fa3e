"""Issue 15 on the pages themselves: day-month-year with Moroccan month names, numbers, codes and
mixed scripts isolated, arrows that point the way the page reads."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import dates as django_dates
from django.utils import timezone, translation

from abwab.core import dates
from abwab.meetings.services import decision_add, meeting_plan
from abwab.people.models import Membership
from abwab.territory.models import BodyKind, Territory
from abwab.territory.services import body_create

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2]


def levantine_months() -> set[str]:
    """Django's own Arabic month names where they differ from Moroccan usage (نوفمبر, …)."""
    with translation.override("ar"):
        names = {str(name) for name in django_dates.MONTHS.values()}
    return names - set(dates.AR_MONTHS)


def test_no_template_formats_a_date_for_people_with_djangos_date_filter():
    """Display goes through abwab.core.dates; `|date` is kept for machine values (ISO in inputs,
    anchors), whose format has no month name and is year first."""
    for path in TEMPLATES.rglob("templates/**/*.html"):
        for fmt in re.findall(r"\|date\b(?::\s*['\"]([^'\"]*)['\"])?", path.read_text()):
            assert fmt.startswith("Y-m-d"), (path, fmt)


def test_the_dashboard_dates_are_day_month_year_with_moroccan_months(client, actors):
    client.force_login(actors.admin)
    html = client.get(reverse("reports:dashboard")).content.decode()
    as_of = re.search(r'<p class="muted" id="as-of">(.*?)</p>', html, re.S).group(1)
    today = timezone.localdate()
    with translation.override("ar"):
        assert dates.long_date(today) in as_of
    assert today.strftime("%m/%d/%Y") not in html  # the US order the issue saw
    assert not any(name in html for name in levantine_months())


def test_the_french_dashboard_reads_the_french_day(client, actors):
    client.force_login(actors.admin)
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert dates.long_date(timezone.localdate(), "fr") in html


def test_the_door_message_keeps_the_card_number_left_to_right(client, actors, places):
    client.force_login(actors.volunteer)
    event = places["taounate_a"].event
    answer = client.post(
        reverse("campaigns:door", args=[event.pk]),
        {
            "client_key": "bidi-card-0001",
            "name": "سعاد البقالي",
            "territory": places["taounate_a"].node.pk,
            "purpose": "membership",
            "signup-first_name_ar": "سعاد",
            "signup-last_name_ar": "البقالي",
            "signup-birth_date": "1991-04-05",
            "signup-consent": "on",
        },
        follow=True,
    )
    card = Membership.objects.get(person__last_name_ar="البقالي").card_number
    messages = [str(m) for m in answer.context["messages"]]
    assert any(f"\u2066{card}\u2069" in m for m in messages), messages


@pytest.fixture
def meeting(actors):
    body = body_create(
        kind=BodyKind.REGIONAL_SECRETARIAT,
        territory=Territory.objects.get(code="03"),
        name_ar="الأمانة الجهوية لجهة فاس مكناس",
        name_fr="secrétariat régional de Fès-Meknès",
    )
    meeting = meeting_plan(
        actor=actors.admin,
        body=body,
        starts_at=datetime.datetime(2026, 11, 30, 10, 0, tzinfo=ZoneInfo("Africa/Casablanca")),
        place="مقر الحزب بفاس",
        session_number=30,
    )
    decision_add(
        actor=actors.admin,
        meeting=meeting,
        text="تنظيم الأبواب المفتوحة",
        due_on=datetime.date(2026, 12, 15),
    )
    return meeting


def test_the_french_meeting_header_isolates_each_piece(client, actors, meeting):
    client.force_login(actors.admin)
    client.cookies["django_language"] = "fr"
    html = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    header = re.search(r'<p class="muted" id="meeting-header">(.*?)</p>', html, re.S).group(1)
    assert "<bdi>lundi 30 novembre 2026</bdi>" in header
    assert "<bdi>مقر الحزب بفاس</bdi>" in header  # Arabic inside French, kept apart
    assert re.search(r"<bdi>session <bdi>30</bdi></bdi>", header)
    decisions = html[html.index('id="decisions"') :]
    assert "<bdi>mardi 15 décembre 2026</bdi>" in decisions


def test_the_decisions_board_isolates_each_piece(client, actors, meeting):
    client.force_login(actors.admin)
    html = client.get(reverse("meetings:decisions")).content.decode()
    assert "<bdi>الثلاثاء 15 دجنبر 2026</bdi>" in html
    assert f"<bdi>{meeting.body}</bdi>" in html


def test_arrows_point_the_way_the_page_reads(client, actors, places):
    client.force_login(actors.taounate)
    event = places["taounate_a"].event
    arabic = client.get(reverse("campaigns:event", args=[event.pk])).content.decode()
    client.cookies["django_language"] = "fr"
    french = client.get(reverse("campaigns:event", args=[event.pk])).content.decode()
    assert "←" in arabic and "→" not in arabic
    assert "→" in french and "←" not in french
    assert dates.long_date(event.starts_on, "ar", weekday=True) in arabic
