"""Before the memo goes, its page shows what the SMS will cost: per language the encoding, parts
per message, the office holders below who will get an SMS (a phone and a consent to convocations
by SMS) and the total, naming a stray character in the French text."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from abwab.campaigns.models import Campaign
from abwab.messaging.models import Message, MessageStatus
from abwab.messaging.sms import estimate
from abwab.messaging.tests.helpers import person_with
from abwab.people.models import ConsentMedium, ConsentPurpose
from abwab.people.services import position_assign

pytestmark = pytest.mark.django_db
SMS = ((ConsentPurpose.CONVOCATIONS, ConsentMedium.SMS),)
EMAIL_ONLY = ((ConsentPurpose.CONVOCATIONS, ConsentMedium.EMAIL),)


def holder(place, n: int, *, consents, phone=""):
    person = person_with(place.node, n, consents=consents, phone=phone, prefix="holder")
    position_assign(
        person=person,
        body=place.body,
        function="local_secretary",
        starts_on=datetime.date(2026, 1, 1),
    )
    return person


def numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r"<bdi>(\d+)</bdi>", html)]


def memo_cost(page: str):
    block = re.search(r'id="memo-cost">(.*?)</section>', page, re.S)[1]
    return dict(re.findall(r'data-language="(\w+)">(.*?)</li>', block, re.S)), block


def test_the_memo_page_shows_the_sms_cost_before_it_goes(client, actors, places):
    campaign = places["taounate_a"].event.campaign
    Campaign.objects.filter(pk=campaign.pk).update(
        name_ar="حملة الأبواب المفتوحة لفائدة الشباب في الجماعات القروية والحضرية بجهة فاس مكناس",
        name_fr="Portes ouvertes d’hiver",
    )
    agreed = holder(places["taounate_a"], 1, consents=SMS, phone="+212611111111")
    holder(places["taounate_b"], 2, consents=EMAIL_ONLY, phone="+212622222222")
    client.force_login(actors.taounate)
    url = reverse("campaigns:memo", args=[campaign.pk])
    lines, block = memo_cost(client.get(url).content.decode())
    assert "UCS2" in lines["ar"] and "data-stray" not in lines["ar"]
    ar_parts, recipients, total = numbers(lines["ar"])
    assert ar_parts > 1 and (recipients, total) == (1, ar_parts)  # one of the two agreed by SMS
    fr_parts, fr_recipients, fr_total = numbers(lines["fr"].split("data-stray")[0])
    assert (fr_recipients, fr_total) == (0, 0)  # nobody reads French
    assert re.findall(r'<code dir="ltr">(.)</code>', lines["fr"]) == ["’"]
    assert numbers(re.search(r'class="sms-cost-total".*?</p>', block, re.S)[0]) == [
        ar_parts,
        1,
        2,
    ]

    # What goes is what was shown: the queued SMS, with its real read link.
    client.post(url, {"action": "send"})
    sent = Message.objects.get(medium=ConsentMedium.SMS, status=MessageStatus.QUEUED)
    assert sent.person_id == agreed.pk
    assert estimate(sent.body).parts == ar_parts


def test_a_memo_everyone_has_read_costs_nothing_more(client, actors, places):
    campaign = places["taounate_a"].event.campaign
    agreed = holder(places["taounate_a"], 1, consents=SMS, phone="+212611111111")
    client.force_login(actors.taounate)
    url = reverse("campaigns:memo", args=[campaign.pk])
    client.post(url, {"action": "send"})
    campaign.readings.filter(person=agreed).update(read_at=timezone.now())
    assert 'id="memo-cost"' not in client.get(url).content.decode()
