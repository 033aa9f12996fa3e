"""The HTTP gateway adapter against a loopback JSON gateway, and the callback view that takes its
receipts and replies (shared secret, receipts joined per message, STOP)."""

import json

import pytest
from django.urls import reverse

from abwab.messaging.errors import PermanentFailure, SendError, TemporaryFailure
from abwab.messaging.models import InboundSms, MessagePart, MessageStatus, PartStatus
from abwab.messaging.sms.channel import SmsChannel
from abwab.messaging.testing.sms_gateway import LoopbackGateway
from abwab.messaging.tests.sms_helpers import (
    ARABIC_200,
    PHONE,
    consents_of,
    message_to,
    person_at,
)
from abwab.people.models import Consent, ConsentMedium

SECRET = "callback-secret-1234"


@pytest.fixture
def gateway(settings):
    settings.ABWAB_SMS_CALLBACK_SECRET = SECRET
    settings.ABWAB_SITE_URL = "https://abwab.example"
    with LoopbackGateway() as server:
        yield server


def callback(client, payload, *, secret=SECRET, header=None):
    if header is not None:
        url = reverse("messaging:sms_callback_header")
        return client.post(
            url, json.dumps(payload), content_type="application/json", HTTP_X_ABWAB_SECRET=header
        )
    url = reverse("messaging:sms_callback", kwargs={"secret": secret})
    return client.post(url, json.dumps(payload), content_type="application/json")


def test_arabic_200_goes_as_three_posted_parts_that_join_exactly(db, gateway):
    message = message_to(ARABIC_200)

    refs = SmsChannel(url=gateway.url).send(message)

    assert refs == ["gw-1", "gw-2", "gw-3"]
    assert [(p["part"], p["parts"], p["encoding"]) for p in gateway.posted] == [
        (1, 3, "ucs2"),
        (2, 3, "ucs2"),
        (3, 3, "ucs2"),
    ]
    assert {p["to"] for p in gateway.posted} == {PHONE}
    assert {p["from"] for p in gateway.posted} == {"Abwab"}
    assert {p["callback_url"] for p in gateway.posted} == {
        f"https://abwab.example/messages/sms/callback/{SECRET}/"
    }
    assert gateway.texts() == [ARABIC_200]
    assert list(message.sms_parts.order_by("seq").values_list("smsc_id", flat=True)) == refs


@pytest.mark.parametrize(
    ("status", "headers", "kind", "code", "retry_after"),
    [
        (429, {"Retry-After": "30"}, TemporaryFailure, SendError.THROTTLED, 30),
        (503, {}, TemporaryFailure, SendError.RELAY_ERROR, None),
        (400, {}, PermanentFailure, SendError.REFUSED_BY_RELAY, None),
    ],
)
def test_gateway_errors(db, gateway, status, headers, kind, code, retry_after):
    gateway.errors.append((status, headers))
    message = message_to("Bonjour")

    with pytest.raises(kind) as caught:
        SmsChannel(url=gateway.url).send(message)

    assert caught.value.code == code
    assert caught.value.detail == f"HTTP {status}"
    assert getattr(caught.value, "retry_after", None) == retry_after
    assert not MessagePart.objects.filter(message=message).exists()


def test_wrong_credentials_are_refused_by_the_gateway(db, gateway):
    url = gateway.url.replace(":gw-secret@", ":wrong@")
    with pytest.raises(TemporaryFailure) as caught:
        SmsChannel(url=url).send(message_to("Bonjour"))
    assert (caught.value.code, caught.value.detail) == (SendError.NOT_CONFIGURED, "HTTP 401")
    assert gateway.posted == []


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1), (1, 2, 0)])
def test_callback_receipts_join_into_one_status_in_any_order(db, gateway, client, order):
    message = message_to(ARABIC_200)
    refs = SmsChannel(url=gateway.url).send(message)

    for step, index in enumerate(order):
        answer = callback(client, {"id": refs[index], "status": "delivered"})
        assert answer.status_code == 200
        assert answer.json() == {"receipts": 1, "unknown": 0, "replies": 0}
        message.refresh_from_db()
        assert message.status == (MessageStatus.DELIVERED if step == 2 else MessageStatus.SENT)


def test_callback_a_failed_part_is_not_overwritten_by_the_last_receipt(db, gateway, client):
    message = message_to(ARABIC_200)
    refs = SmsChannel(url=gateway.url).send(message)

    answer = callback(
        client,
        [
            {"id": refs[1], "status": "UNDELIV", "error": "034"},
            {"id": refs[0], "status": "DELIVRD"},
            {"id": refs[2], "status": "DELIVRD"},
        ],
    )

    assert answer.json() == {"receipts": 3, "unknown": 0, "replies": 0}
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert list(message.sms_parts.order_by("seq").values_list("status", flat=True)) == [
        PartStatus.DELIVERED,
        PartStatus.FAILED,
        PartStatus.DELIVERED,
    ]


def test_callback_with_the_secret_in_a_header(db, gateway, client):
    message = message_to("Bonjour")
    (ref,) = SmsChannel(url=gateway.url).send(message)

    answer = callback(client, {"id": ref, "status": "DELIVRD"}, header=SECRET)

    assert answer.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED


@pytest.mark.parametrize("how", ["path", "header", "no header"])
def test_callback_with_a_wrong_secret_changes_nothing(db, gateway, client, how):
    message = message_to("Bonjour")
    (ref,) = SmsChannel(url=gateway.url).send(message)
    payload = [{"id": ref, "status": "DELIVRD"}, {"from": PHONE, "text": "STOP"}]

    if how == "path":
        answer = callback(client, payload, secret="guess")
    elif how == "header":
        answer = callback(client, payload, header="guess")
    else:
        answer = client.post(
            reverse("messaging:sms_callback_header"),
            json.dumps(payload),
            content_type="application/json",
        )

    assert answer.status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert MessagePart.objects.get(message=message).status == PartStatus.SUBMITTED
    assert not InboundSms.objects.exists()


def test_callback_is_off_without_a_configured_secret(db, client, settings):
    settings.ABWAB_SMS_CALLBACK_SECRET = ""
    assert callback(client, {"from": PHONE, "text": "STOP"}, secret="x").status_code == 404
    assert callback(client, {"from": PHONE, "text": "STOP"}, header="").status_code == 404
    assert not InboundSms.objects.exists()


def test_callback_refuses_what_it_cannot_read(db, gateway, client):
    url = reverse("messaging:sms_callback", kwargs={"secret": SECRET})
    assert client.get(url).status_code == 405
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    assert callback(client, {"something": "else"}).status_code == 400
    assert callback(client, {"id": "gw-404", "status": "DELIVRD"}).json() == {
        "receipts": 0,
        "unknown": 1,
        "replies": 0,
    }


def test_callback_stop_reply_withdraws_the_sms_consents(db, gateway, client):
    person = person_at()
    consents_of(person)

    answer = callback(client, {"from": "212612345678", "text": "ARRÊT"})

    assert answer.json() == {"receipts": 0, "unknown": 0, "replies": 1}
    withdrawn = Consent.objects.filter(person=person, withdrawn_at__isnull=False)
    assert {(c.medium, c.withdrawn_via) for c in withdrawn} == {(ConsentMedium.SMS, "sms_stop")}
    assert withdrawn.count() == 2
    assert InboundSms.objects.get().handled_as == "stop"
