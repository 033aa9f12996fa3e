"""Builders shared by the engine's tests: persons with the consents a test needs, and sends."""

import datetime

from django.utils import timezone

from abwab.messaging.models import Send, SendKind
from abwab.people.models import Consent, ConsentChannel, ConsentMedium, ConsentPurpose, Person


def person_with(territory, n: int, *, consents=(), email=True, phone="", prefix="p"):
    """A person at `territory` with an address per channel and consents given a day ago, as
    (purpose, medium) pairs."""
    person = Person.objects.create(
        first_name_latin=f"Name{n}",
        last_name_latin=f"Family{n}",
        first_name_ar="سعاد",
        last_name_ar="العلوي",
        email=f"{prefix}{n}@example.org" if email else "",
        phone=phone,
        territory=territory,
    )
    for purpose, medium in consents:
        Consent.objects.create(
            person=person,
            purpose=purpose,
            medium=medium,
            text_version="2026-1",
            channel=ConsentChannel.DOOR,
            given_at=timezone.now() - datetime.timedelta(days=1),
        )
    return person


CONVOCATION_BY_EMAIL = ((ConsentPurpose.CONVOCATIONS, ConsentMedium.EMAIL),)
NEWS_BY_EMAIL = ((ConsentPurpose.NEWS, ConsentMedium.EMAIL),)


def send_for(
    territory,
    *,
    purpose=ConsentPurpose.CONVOCATIONS,
    kind=SendKind.CONVOCATION,
    by_email=True,
    by_sms=False,
    actor=None,
) -> Send:
    return Send.objects.create(
        kind=kind,
        purpose=purpose,
        by_email=by_email,
        by_sms=by_sms,
        territory=territory,
        filters={"meeting": 7},
        subject_ar="استدعاء {first_name}",
        subject_fr="Convocation {first_name_latin}",
        body_ar="السلام {first_name}، الاجتماع غدا. {reply_url}",
        body_fr="Bonjour {first_name_latin}, la réunion est demain. {reply_url}",
        created_by=actor,
    )


class FakeClock:
    """`now` and `sleep` for the worker: sleeping moves the clock, nothing waits."""

    def __init__(self, start: datetime.datetime):
        self.at = start
        self.sleeps: list[float] = []

    def now(self) -> datetime.datetime:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.at += datetime.timedelta(seconds=seconds)


def place_send(node) -> Send:
    """A send of the place's node, for the isolation tests' route table (one per node)."""
    return Send.objects.get_or_create(
        territory=node,
        kind=SendKind.TEST,
        defaults={"purpose": ConsentPurpose.NEWS, "by_email": True, "subject_ar": "اختبار"},
    )[0]
