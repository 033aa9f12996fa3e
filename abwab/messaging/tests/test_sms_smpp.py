"""The SMS channel over SMPP, against the loopback SMSC: parts that join to the exact text,
receipts joined per message in any order, throttling, a dropped link, STOP replies."""

import io
import itertools
import time

import pytest
from django.core.management import call_command

from abwab.messaging.errors import PermanentFailure, SendError, TemporaryFailure
from abwab.messaging.models import (
    InboundSms,
    MessagePart,
    MessageStatus,
    PartStatus,
)
from abwab.messaging.sms.channel import SmsChannel
from abwab.messaging.testing.smsc import ESME_RINVDSTADR, LoopbackSmsc
from abwab.messaging.tests.sms_helpers import (
    ARABIC_200,
    PHONE,
    consents_of,
    message_to,
    person_at,
)
from abwab.people.models import Consent, ConsentMedium, ConsentPurpose


@pytest.fixture
def smsc():
    with LoopbackSmsc() as server:
        yield server


@pytest.fixture
def channel(smsc):
    channel = SmsChannel(url=smsc.url)
    yield channel
    channel.close()


def poll_until(channel: SmsChannel, count: int, seconds: float = 5.0) -> int:
    """Record what the SMSC sends until `count` events were handled."""
    handled, deadline = 0, time.monotonic() + seconds
    while handled < count and time.monotonic() < deadline:
        handled += channel.poll(timeout=0.2)
    return handled


def test_arabic_200_characters_arrive_as_three_ucs2_parts_that_join_exactly(db, smsc, channel):
    message = message_to(ARABIC_200)

    refs = channel.send(message)

    assert len(smsc.submitted) == 3
    assert [p.data_coding for p in smsc.submitted] == [0x08] * 3
    assert [p.esm_class for p in smsc.submitted] == [0x40] * 3
    assert [p.registered_delivery for p in smsc.submitted] == [1] * 3
    assert {p.destination for p in smsc.submitted} == {"212612345678"}
    assert [p.concat[1:] for p in smsc.submitted] == [(3, 1), (3, 2), (3, 3)]
    assert len({p.concat[0] for p in smsc.submitted}) == 1  # one reference for the three
    assert all(len(p.short_message) <= 140 for p in smsc.submitted)
    assert smsc.texts(PHONE) == [ARABIC_200]
    message.refresh_from_db()
    assert refs == [p.message_id for p in smsc.submitted]
    assert (message.parts, message.provider_ref, message.status) == (
        3,
        ",".join(refs),
        MessageStatus.SENT,
    )
    assert list(message.sms_parts.order_by("seq").values_list("seq", "smsc_id")) == [
        (1, refs[0]),
        (2, refs[1]),
        (3, refs[2]),
    ]

    assert poll_until(channel, 3) == 3
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at is not None
    assert set(message.sms_parts.values_list("status", flat=True)) == {PartStatus.DELIVERED}


def test_latin_text_goes_as_one_gsm7_sms(db, smsc, channel):
    text = "Reunion du bureau samedi a 10h. Merci de confirmer: 0612-345678 {salle 2}"
    channel.send(message_to(text))

    (part,) = smsc.submitted
    assert (part.data_coding, part.esm_class, part.concat) == (0x00, 0x00, None)
    assert part.short_message.count(b"\x1b") == 2  # { and } escaped
    assert smsc.texts() == [text]


def test_one_session_for_many_messages(db, smsc, channel):
    for index in range(5):
        channel.send(message_to(f"Message {index}", phone=f"+21261234567{index}"))
    assert smsc.binds == 1
    assert smsc.submit_count == 5


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_message_delivered_only_when_every_part_is_whatever_the_order(db, smsc, order):
    smsc.receipts = "hold"
    channel = SmsChannel(url=smsc.url)
    message = message_to(ARABIC_200)
    refs = channel.send(message)

    for step, index in enumerate(order):
        smsc.release(refs[index], "DELIVRD")
        assert poll_until(channel, 1) == 1
        message.refresh_from_db()
        expected = MessageStatus.DELIVERED if step == 2 else MessageStatus.SENT
        assert message.status == expected, (order, step)
    channel.close()
    statuses = dict(MessagePart.objects.filter(message=message).values_list("seq", "status"))
    assert statuses == {1: PartStatus.DELIVERED, 2: PartStatus.DELIVERED, 3: PartStatus.DELIVERED}


@pytest.mark.parametrize("failed_at", [0, 1, 2])
@pytest.mark.parametrize("order", [(0, 1, 2), (2, 1, 0), (1, 2, 0)])
def test_a_failed_part_fails_the_message_and_later_receipts_do_not_overwrite_it(
    db, smsc, order, failed_at
):
    smsc.receipts = "hold"
    channel = SmsChannel(url=smsc.url)
    message = message_to(ARABIC_200)
    refs = channel.send(message)
    failing = order[failed_at]

    for index in order:
        stat, err = ("UNDELIV", "034") if index == failing else ("DELIVRD", "000")
        smsc.release(refs[index], stat, err)
        assert poll_until(channel, 1) == 1
    channel.close()

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.delivered_at is None
    assert message.last_error == "sms UNDELIV:034"
    parts = dict(MessagePart.objects.filter(message=message).values_list("seq", "status"))
    assert parts == {
        seq: PartStatus.FAILED if seq == failing + 1 else PartStatus.DELIVERED for seq in (1, 2, 3)
    }


def test_a_repeated_receipt_changes_nothing(db, smsc):
    smsc.receipts = "hold"
    channel = SmsChannel(url=smsc.url)
    message = message_to("Un seul SMS")
    (ref,) = channel.send(message)
    smsc.release(ref, "DELIVRD")
    poll_until(channel, 1)
    from abwab.messaging.sms.receipts import receipt_record

    receipt_record(smsc_id=ref, stat="UNDELIV", err="001")  # a late, contradicting copy
    channel.close()
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert MessagePart.objects.get(message=message).status == PartStatus.DELIVERED


def test_throttled_is_a_temporary_failure_and_nothing_is_recorded(db, smsc, channel):
    smsc.throttle_next = 1
    message = message_to("Rappel: reunion demain a 18h")

    with pytest.raises(TemporaryFailure) as caught:
        channel.send(message)

    assert caught.value.code == SendError.THROTTLED
    assert caught.value.last_error == "throttled ESME_RTHROTTLED"
    assert not MessagePart.objects.filter(message=message).exists()
    assert smsc.submitted == []
    # Later, the engine tries again and it goes.
    channel.send(message)
    assert smsc.texts() == ["Rappel: reunion demain a 18h"]


def test_throttled_half_way_resumes_with_the_missing_parts_only(db, smsc, channel):
    smsc.throttle_skip, smsc.throttle_next = 1, 1  # part 1 passes, part 2 is throttled
    message = message_to(ARABIC_200)

    with pytest.raises(TemporaryFailure):
        channel.send(message)
    assert list(message.sms_parts.values_list("seq", flat=True)) == [1]
    message.refresh_from_db()
    assert message.parts == 3  # known before the first part left

    channel.send(message)

    assert smsc.submit_count == 3  # no part twice
    assert smsc.texts(PHONE) == [ARABIC_200]
    assert sorted(message.sms_parts.values_list("seq", flat=True)) == [1, 2, 3]


def test_a_refused_number_is_a_permanent_failure(db, smsc, channel):
    smsc.refused["212612345670"] = ESME_RINVDSTADR
    with pytest.raises(PermanentFailure) as caught:
        channel.send(message_to("Bonjour", phone="+212612345670"))
    assert caught.value.code == SendError.BAD_ADDRESS
    assert caught.value.detail == "ESME_RINVDSTADR"


def test_an_invalid_number_never_reaches_the_smsc(db, smsc, channel):
    with pytest.raises(PermanentFailure) as caught:
        channel.send(message_to("Bonjour", phone="+2121234"))
    assert caught.value.code == SendError.BAD_ADDRESS
    assert smsc.submit_count == 0


def test_a_national_number_is_sent_in_e164(db, smsc, channel):
    channel.send(message_to("Bonjour", phone="0612345678"))
    assert smsc.submitted[0].destination == "212612345678"


def test_a_dropped_link_is_bound_again(db, smsc, channel):
    channel.send(message_to("Premier"))
    smsc.drop_connections()
    time.sleep(0.05)

    channel.send(message_to("Second", phone="+212612345679"))

    assert smsc.binds == 2
    assert sorted(smsc.texts()) == ["Premier", "Second"]


def test_a_wrong_password_is_refused_at_bind(db, smsc):
    url = smsc.url.replace(":secret@", ":wrong@")
    channel = SmsChannel(url=url)
    with pytest.raises(TemporaryFailure) as caught:
        channel.send(message_to("Bonjour"))
    assert caught.value.detail == "bind refused ESME_RINVPASWD"
    assert smsc.submit_count == 0


def test_an_unreachable_smsc_is_a_temporary_failure(db):
    with LoopbackSmsc() as gone:
        url = gone.url
    with pytest.raises(TemporaryFailure) as caught:
        SmsChannel(url=url).send(message_to("Bonjour"))
    assert caught.value.code == SendError.UNREACHABLE


@pytest.mark.parametrize(
    "reply",
    ["STOP", " stop ", "Stop.", "ARRET", "Arrêt", "arrêter svp", "توقف", "إلغاء", "الغاء الاشتراك"],
)
def test_a_stop_reply_withdraws_every_sms_consent_at_once(db, smsc, channel, reply):
    person = person_at()
    neighbour = person_at("+212612345600")
    assert consents_of(person) == {} and consents_of(neighbour) == {}
    channel.open()

    smsc.inbound("212612345678", reply)
    assert poll_until(channel, 1) == 1

    withdrawn = {
        (c.purpose, c.medium): c.withdrawn_via
        for c in Consent.objects.filter(person=person, withdrawn_at__isnull=False)
    }
    assert withdrawn == {
        (ConsentPurpose.NEWS, ConsentMedium.SMS): "sms_stop",
        (ConsentPurpose.CONVOCATIONS, ConsentMedium.SMS): "sms_stop",
    }
    assert not Consent.objects.filter(person=neighbour, withdrawn_at__isnull=False).exists()
    inbound = InboundSms.objects.get()
    assert (inbound.sender, inbound.text, inbound.handled_as) == (PHONE, reply, "stop")
    deadline = time.monotonic() + 2
    while smsc.deliver_acks < 1 and time.monotonic() < deadline:
        time.sleep(0.01)  # the acknowledgement crosses the socket after the reply was read
    assert smsc.deliver_acks == 1


@pytest.mark.parametrize("reply", ["Merci", "Je serai là", "شكرا", "stopper le bruit? non"])
def test_other_replies_are_kept_and_withdraw_nothing(db, smsc, channel, reply):
    person = person_at()
    consents_of(person)
    channel.open()

    smsc.inbound("212612345678", reply)
    poll_until(channel, 1)

    assert not Consent.objects.filter(withdrawn_at__isnull=False).exists()
    assert InboundSms.objects.get().handled_as == ""


def test_a_stop_sent_while_no_session_was_bound_is_handled_at_the_next_bind(db, smsc):
    person = person_at()
    consents_of(person)
    smsc.inbound("212612345678", "STOP")  # nobody bound: the SMSC keeps it
    assert smsc.waiting

    channel = SmsChannel(url=smsc.url)
    channel.open()
    poll_until(channel, 1)
    channel.close()

    assert (
        Consent.objects.filter(
            person=person, medium=ConsentMedium.SMS, withdrawn_via="sms_stop"
        ).count()
        == 2
    )


def test_the_listener_records_a_stop_when_nothing_is_being_sent(db, smsc, settings):
    settings.ABWAB_SMS_URL = smsc.url
    person = person_at()
    consents_of(person)
    smsc.inbound("212612345678", "stop")  # while nobody is bound: kept by the SMSC
    out = io.StringIO()

    call_command("sms_listen", "--seconds", "1", stdout=out)

    assert Consent.objects.filter(person=person, withdrawn_via="sms_stop").count() == 2
    assert out.getvalue() == "1 receipt or reply recorded.\n"
    assert smsc.binds == 1
