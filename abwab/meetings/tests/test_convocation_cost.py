"""Before the convocation goes, the meeting page shows what its SMS will cost: per language the
encoding, parts per message, the invitees who will get an SMS (a phone and a consent to
convocations by SMS) and the total, naming the characters that make the French text UCS-2."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from abwab.meetings.models import AgendaItem, Attendance, Meeting
from abwab.messaging.models import Message, MessageStatus
from abwab.messaging.sms import estimate
from abwab.messaging.tests.helpers import person_with
from abwab.people.models import ConsentMedium, ConsentPurpose

pytestmark = pytest.mark.django_db
SMS = ((ConsentPurpose.CONVOCATIONS, ConsentMedium.SMS),)
EMAIL_ONLY = ((ConsentPurpose.CONVOCATIONS, ConsentMedium.EMAIL),)
NEWS_SMS = ((ConsentPurpose.NEWS, ConsentMedium.SMS),)


def numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<bdi>(\d+)</bdi>", html)]


def cost_lines(page: str, section: str) -> tuple[dict[str, str], str]:
    block = re.search(rf'id="{section}">(.*?)</section>', page, re.S)[1]
    lines = dict(re.findall(r'data-language="(\w+)">(.*?)</li>', block, re.S))
    return lines, block


@pytest.fixture
def meeting(places):
    """A planned meeting with a long Arabic agenda and a French place with a curly apostrophe;
    five invitees: two who will get an SMS (one reads French), one with the SMS consent but no
    phone, one who agreed by email only, one who agreed to party news by SMS (not convocations)."""
    place = places["taounate_a"]
    meeting = Meeting.objects.create(
        body=place.body,
        starts_at=datetime.datetime(2030, 3, 12, 18, 0, tzinfo=ZoneInfo("Africa/Casablanca")),
        place="دار الشباب",
        place_fr="Maison des jeunes d’Ain Aicha",
    )
    AgendaItem.objects.create(
        meeting=meeting,
        order=1,
        title="تتبع تنفيذ برنامج الأبواب المفتوحة في الجماعات القروية",
        title_fr="Suivi des portes ouvertes dans les communes rurales",
    )
    node = place.node
    arabic = person_with(node, 1, consents=SMS, phone="+212611111111")
    french = person_with(node, 2, consents=SMS, phone="+212622222222")
    french.languages = ["fr"]
    french.save()
    people = [
        arabic,
        french,
        person_with(node, 3, consents=SMS),  # no phone
        person_with(node, 4, consents=EMAIL_ONLY, phone="+212633333333"),
        person_with(node, 5, consents=NEWS_SMS, phone="+212644444444"),
    ]
    for person in people:
        Attendance.objects.create(meeting=meeting, person=person)
    return meeting, arabic, french


def test_the_meeting_page_shows_the_convocation_sms_cost_before_it_goes(client, actors, meeting):
    meeting, arabic, french = meeting
    client.force_login(actors.taounate)
    url = reverse("meetings:detail", args=[meeting.pk])
    page = client.get(url).content.decode()
    lines, block = cost_lines(page, "convocation-cost")
    assert set(lines) == {"ar", "fr"}
    assert "UCS2" in lines["ar"] and "data-stray" not in lines["ar"]  # Arabic: UCS-2 by nature
    ar_parts, ar_recipients, ar_total = numbers(lines["ar"])
    fr_parts, fr_recipients, fr_total = numbers(lines["fr"].split("data-stray")[0])
    assert ar_parts > 1 and (ar_recipients, ar_total) == (1, ar_parts)
    assert (fr_recipients, fr_total) == (1, fr_parts)
    # In all: the two invitees with a phone and the SMS consent to convocations, of five.
    total = re.search(r'class="sms-cost-total" data-total="(\d+)">(.*?)</p>', block, re.S)
    assert int(total[1]) == ar_parts + fr_parts
    assert numbers(total[2]) == [ar_parts + fr_parts, 2, 5]
    stray = re.findall(r'<code dir="ltr">(.)</code>', lines["fr"])
    assert "’" in stray  # the place's curly apostrophe is named

    # What goes is what was shown: the queued SMS bodies, with their real reply links.
    client.post(url, {"action": "convoke"})
    sms = Message.objects.filter(medium=ConsentMedium.SMS, status=MessageStatus.QUEUED)
    assert {m.person_id for m in sms} == {arabic.pk, french.pk}
    sent_ar = estimate(sms.get(person=arabic).body)
    sent_fr = estimate(sms.get(person=french).body)
    assert sent_ar.parts == ar_parts and sent_ar.encoding == "ucs2"
    assert sent_fr.parts == fr_parts and tuple(stray) == sent_fr.culprits

    # Once convened, the cost is no longer offered.
    assert 'id="convocation-cost"' not in client.get(url).content.decode()


def test_without_sms_consent_nobody_is_counted(client, actors, places):
    place = places["taounate_a"]
    meeting = Meeting.objects.create(
        body=place.body,
        starts_at=datetime.datetime(2030, 3, 12, 18, 0, tzinfo=ZoneInfo("Africa/Casablanca")),
        place="دار الشباب",
    )
    Attendance.objects.create(
        meeting=meeting, person=person_with(place.node, 1, consents=EMAIL_ONLY, phone="+2126")
    )
    client.force_login(actors.taounate)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    lines, block = cost_lines(page, "convocation-cost")
    assert numbers(lines["ar"])[1:] == [0, 0]
    assert 'data-total="0"' in block
