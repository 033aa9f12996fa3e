"""The sending engine with the SMS channel, against the loopback SMSC: a convocation reaches each
consenting phone in full and its receipts come back; throttling is retried later."""

import pytest
from django.utils import timezone

from abwab.messaging.engine import queue_send, send_run
from abwab.messaging.models import Message, MessageStatus
from abwab.messaging.testing.smsc import LoopbackSmsc
from abwab.messaging.tests.helpers import FakeClock, person_with, send_for
from abwab.people.models import ConsentMedium, ConsentPurpose

pytestmark = pytest.mark.django_db
CONVOCATION_BY_SMS = ((ConsentPurpose.CONVOCATIONS, ConsentMedium.SMS),)


@pytest.fixture
def taounate(places):
    return places["taounate_a"].node


@pytest.fixture
def smsc(settings):
    settings.MESSAGING_RATES = {"email": 1000, "sms": 1000}
    with LoopbackSmsc() as server:
        settings.ABWAB_SMS_URL = server.url
        yield server


def test_a_convocation_by_sms_reaches_each_consenting_phone_exactly(smsc, actors, taounate):
    agreed = [
        person_with(taounate, n, email=False, phone=f"+21266100000{n}", consents=CONVOCATION_BY_SMS)
        for n in range(3)
    ]
    without = person_with(taounate, 9, email=False, phone="+212661000009")
    send = send_for(taounate, by_email=False, by_sms=True, actor=actors.taounate)
    reply = "https://abwab.example/r/"
    queue_send(
        actors.taounate, send, [(p, {"reply_url": f"{reply}{p.pk}"}) for p in [*agreed, without]]
    )

    send_run(send.pk)

    for person in agreed:
        message = Message.objects.get(send=send, person=person)
        assert smsc.texts(person.phone) == [message.body]
        assert f"{reply}{person.pk}" in message.body
        assert message.status == MessageStatus.DELIVERED  # every part's receipt came back
        assert message.sms_parts.count() == message.parts
    assert smsc.texts(without.phone) == []
    assert Message.objects.get(send=send, person=without).status == MessageStatus.REFUSED
    assert smsc.binds == 1


def test_a_throttled_sms_is_sent_again_later_and_once(smsc, settings, actors, taounate):
    settings.MESSAGING_RETRY_SECONDS = 30
    person = person_with(
        taounate, 1, email=False, phone="+212661000001", consents=CONVOCATION_BY_SMS
    )
    send = send_for(taounate, by_email=False, by_sms=True)
    queue_send(actors.taounate, send, [(person, {"reply_url": "https://abwab.example/r/1"})])
    smsc.throttle_next = 1
    clock = FakeClock(timezone.now())

    send_run(send.pk, now=clock.now, sleep=clock.sleep)

    assert [round(s) for s in clock.sleeps if s >= 1] == [30]
    message = Message.objects.get(send=send)
    assert message.attempts == 2
    assert smsc.texts(person.phone) == [message.body]
    assert message.status == MessageStatus.DELIVERED
