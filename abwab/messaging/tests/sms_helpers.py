"""What the SMS tests share: a person at a phone, a message to a phone, consents to withdraw."""

from abwab.messaging.models import Message, MessageStatus, Send, SendKind
from abwab.people.models import Consent, ConsentChannel, ConsentMedium, ConsentPurpose, Person
from conftest import TAOUNATE, node

PHONE = "+212612345678"
ARABIC_200 = ("اجتماع الكتابة المحلية يوم السبت على الساعة العاشرة صباحا بمقر الحزب " * 3)[:200]


def person_at(phone: str = PHONE) -> Person:
    return Person.objects.create(
        first_name_latin="Samira", last_name_latin="Test", phone=phone, territory=node(TAOUNATE)
    )


def message_to(body: str, phone: str = PHONE, person=None) -> Message:
    send = Send.objects.create(
        kind=SendKind.MEMBERS, purpose=ConsentPurpose.NEWS, by_sms=True, territory=node(TAOUNATE)
    )
    return Message.objects.create(
        send=send,
        person=person,
        medium=ConsentMedium.SMS,
        address=phone,
        body=body,
        key=f"{send.pk}:{phone}:sms",
        status=MessageStatus.SENDING,  # as the engine hands it over
    )


def consents_of(person: Person) -> dict:
    for purpose in (ConsentPurpose.NEWS, ConsentPurpose.CONVOCATIONS):
        for medium in (ConsentMedium.SMS, ConsentMedium.EMAIL):
            Consent.objects.create(
                person=person,
                purpose=purpose,
                medium=medium,
                text_version="2026-1",
                channel=ConsentChannel.DOOR,
            )
    return {
        (c.purpose, c.medium): c.withdrawn_via
        for c in Consent.objects.filter(person=person, withdrawn_at__isnull=False)
    }
