"""The campaign memo sent to the secretariats below with a personal read link, reminders to those
who have not read it, and who has read it; scope on the territory code in the form."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from abwab.campaigns.models import MemoReading
from abwab.messaging.models import Message, MessageStatus, Send, SendKind
from abwab.messaging.tests.helpers import CONVOCATION_BY_EMAIL, person_with
from abwab.people.models import ConsentPurpose
from abwab.people.services import position_assign
from abwab.territory.models import BodyKind

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^/\s]+(/campaigns/memo/\S+/)")


def local_secretariat(place, n: int, *, consents=CONVOCATION_BY_EMAIL):
    body = place.body  # each place's body is its local secretariat
    assert body.kind == BodyKind.LOCAL_SECRETARIAT
    holder = person_with(place.node, n, consents=consents, prefix="holder")
    position_assign(
        person=holder, body=body, function="local_secretary", starts_on=datetime.date(2026, 1, 1)
    )
    return holder


@pytest.fixture
def holders(places):
    return (
        local_secretariat(places["taounate_a"], 1),
        local_secretariat(places["taounate_b"], 2, consents=()),
        local_secretariat(places["meknes"], 3),
    )


def test_the_memo_reaches_the_secretariats_below_and_records_who_read_it(
    client, actors, places, holders, django_capture_on_commit_callbacks
):
    agreed, silent, meknes = holders
    campaign = places["taounate_a"].event.campaign
    client.force_login(actors.taounate)
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert reverse("campaigns:memo", args=[campaign.pk]) in detail
    url = reverse("campaigns:memo", args=[campaign.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "send"})
    assert response.status_code == 302

    send = Send.objects.get(kind=SendKind.MEMO)
    assert send.purpose == ConsentPurpose.CONVOCATIONS
    assert set(MemoReading.objects.values_list("person", flat=True)) == {agreed.pk, silent.pk}
    assert [m.to for m in mail.outbox] == [[agreed.email]]
    assert (
        Message.objects.get(person=silent, send=send, medium="email").status
        == MessageStatus.REFUSED
    )

    page = client.get(url).content.decode()
    assert page.count('data-read="no"') == 2

    path = LINK.search(mail.outbox[0].body)[1]
    client.logout()
    assert client.get(path).status_code == 200
    assert MemoReading.objects.get(person=agreed).read_at is None  # opening is not reading
    client.post(path)
    assert MemoReading.objects.get(person=agreed).read_at is not None

    client.force_login(actors.taounate)
    page = client.get(url).content.decode()
    assert page.count('data-read="yes"') == 1 and page.count('data-read="no"') == 1

    # A reminder goes only to those who have not read it.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "remind"})
    reminder = Send.objects.get(kind=SendKind.MEMO_REMINDER)
    assert set(Message.objects.filter(send=reminder).values_list("person", flat=True)) == {
        silent.pk
    }


def test_another_provinces_code_or_a_forged_link_is_refused(client, actors, places, holders):
    campaign = places["taounate_a"].event.campaign
    client.force_login(actors.taounate)
    url = reverse("campaigns:memo", args=[campaign.pk])
    meknes = places["meknes"].node.parent.code
    assert client.post(url, {"action": "send", "territory": meknes}).status_code == 404
    assert client.get(url + f"?territory={meknes}").status_code == 404
    assert not Send.objects.exists() and not MemoReading.objects.exists()
    assert client.post(reverse("campaigns:memo_read", args=["1:2:3"])).status_code == 404
    client.force_login(actors.auditor)
    assert client.get(url).status_code == 404
