"""A convocation sent from the meeting page reaches each invitee's mailbox (local SMTP server) and
phone (loopback SMSC), on the channels they agreed to; the reply link in the SMS records the
answer; someone without the consent receives nothing on either channel."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from abwab.meetings.models import Attendance, Meeting, Reply
from abwab.messaging.testing.smsc import LoopbackSmsc
from abwab.messaging.tests.helpers import person_with
from abwab.people.models import ConsentMedium, ConsentPurpose

pytestmark = pytest.mark.django_db
BOTH = (
    (ConsentPurpose.CONVOCATIONS, ConsentMedium.EMAIL),
    (ConsentPurpose.CONVOCATIONS, ConsentMedium.SMS),
)
LINK = re.compile(r"https?://[^/\s]+(/meetings/reply/\S+/)")


@pytest.fixture
def smsc(settings):
    settings.MESSAGING_RATES = {"email": 1000, "sms": 1000}
    with LoopbackSmsc() as server:
        settings.ABWAB_SMS_URL = server.url
        yield server


def test_convocation_reaches_mailbox_and_phone_and_the_sms_link_answers(
    client, actors, places, smtp_settings, smtp_server, smsc, django_capture_on_commit_callbacks
):
    place = places["taounate_a"]
    meeting = Meeting.objects.create(
        body=place.body, starts_at=timezone.now() + datetime.timedelta(days=2), office=place.office
    )
    both = person_with(place.node, 1, consents=BOTH, phone="+212661000001", prefix="both")
    mail_only = person_with(
        place.node, 2, consents=BOTH[:1], phone="+212661000002", prefix="mailonly"
    )
    nothing = person_with(place.node, 3, phone="+212661000003", prefix="nothing")
    for person in (both, mail_only, nothing):
        Attendance.objects.create(meeting=meeting, person=person)

    client.force_login(actors.taounate)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meetings:detail", args=[meeting.pk]), {"action": "convoke"})

    assert len(smtp_server.mailbox(both.email)) == 1
    assert len(smtp_server.mailbox(mail_only.email)) == 1
    assert smtp_server.mailbox(nothing.email) == []
    assert len(smsc.texts(both.phone)) == 1
    assert smsc.texts(mail_only.phone) == [] and smsc.texts(nothing.phone) == []

    # The SMS carries the invitee's own link; answering through it records the reply.
    path = LINK.search(smsc.texts(both.phone)[0])[1]
    client.logout()
    client.post(path, {"reply": Reply.ATTENDING})
    assert Attendance.objects.get(meeting=meeting, person=both).reply == Reply.ATTENDING
    assert Attendance.objects.get(meeting=meeting, person=mail_only).reply == ""
