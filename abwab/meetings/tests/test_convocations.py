"""Convocations from the meeting page: each invitee with a consent to convocations gets an email
with a personal reply link; the answer feeds the expected attendance; reminders the day before."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from abwab.meetings.convocations import reminders_due, reminders_send, reply_token
from abwab.meetings.models import Attendance, Meeting, Presence, Reply
from abwab.messaging.models import Message, MessageStatus, Send, SendKind
from abwab.people.consents import consent_give
from abwab.people.models import ConsentChannel, ConsentMedium, ConsentPurpose
from abwab.people.services import person_create

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://\S+/meetings/reply/\S+/")


def invitee(place, name: str, *, consent: bool, actor=None):
    person = person_create(
        actor=None,
        territory=place.node,
        first_name_ar=name,
        last_name_latin=name,
        email=f"{name}@example.org",
    )
    if consent:
        consent_give(
            actor=actor,
            person=person,
            purpose=ConsentPurpose.CONVOCATIONS,
            medium=ConsentMedium.EMAIL,
            channel=ConsentChannel.PAPER,
        )
    return person


@pytest.fixture
def planned(actors, places):
    """A meeting of the Taounate body in three days, with two invitees: one who agreed to
    convocations by email, one who did not."""
    place = places["taounate_a"]
    meeting = Meeting.objects.create(
        body=place.body, starts_at=timezone.now() + datetime.timedelta(days=3), office=place.office
    )
    agreed = invitee(place, "amina", consent=True, actor=actors.taounate)
    silent = invitee(place, "karim", consent=False)
    for person in (agreed, silent):
        Attendance.objects.create(meeting=meeting, person=person)
    return meeting, agreed, silent


def convoke(client, user, meeting, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse("meetings:detail", args=[meeting.pk]), {"action": "convoke"})


def test_convocation_reaches_who_agreed_and_the_link_records_the_answer(
    client, actors, planned, django_capture_on_commit_callbacks
):
    meeting, agreed, silent = planned
    response = convoke(client, actors.taounate, meeting, django_capture_on_commit_callbacks)
    assert response.status_code == 302

    meeting.refresh_from_db()
    assert meeting.convoked_at is not None
    send = Send.objects.get(kind=SendKind.CONVOCATION, about=f"meetings.meeting:{meeting.pk}")
    assert send.purpose == ConsentPurpose.CONVOCATIONS
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    refused = Message.objects.get(send=send, person=silent, medium=ConsentMedium.EMAIL)
    assert refused.status == MessageStatus.REFUSED and refused.body == ""

    # The link in the email opens a page that asks first: opening it answers nothing.
    link = LINK.search(mail.outbox[0].body)[0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.logout()
    page = client.get("/" + path)
    assert page.status_code == 200
    attendance = Attendance.objects.get(meeting=meeting, person=agreed)
    assert attendance.reply == ""

    page = client.post("/" + path, {"reply": Reply.EXCUSED})
    assert page.status_code == 200
    attendance.refresh_from_db()
    assert attendance.reply == Reply.EXCUSED
    assert attendance.presence == Presence.EXCUSED
    assert attendance.replied_at is not None

    # The meeting page shows the expected attendance.
    client.force_login(actors.taounate)
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert 'id="expected-attendance"' in detail
    assert reverse("messaging:send", args=[send.pk]) in detail  # who received it
    counts = re.search(r'id="expected-attendance">(.*?)</p>', detail, re.S)[1]
    assert re.findall(r"<bdi>(\d+)</bdi>", counts) == ["0", "1", "1"]


def test_changing_ones_mind_takes_the_apology_back(client, planned):
    meeting, agreed, _silent = planned
    attendance = Attendance.objects.get(meeting=meeting, person=agreed)
    url = reverse("meetings:reply", args=[reply_token(attendance)])
    client.post(url, {"reply": Reply.EXCUSED})
    client.post(url, {"reply": Reply.ATTENDING})
    attendance.refresh_from_db()
    assert (attendance.reply, attendance.presence) == (Reply.ATTENDING, Presence.INVITED)


def test_a_forged_or_altered_link_answers_404(client, planned):
    meeting, agreed, silent = planned
    attendance = Attendance.objects.get(meeting=meeting, person=agreed)
    token = reply_token(attendance)
    assert client.get(reverse("meetings:reply", args=[token[:-2] + "xx"])).status_code == 404
    assert (
        client.post(reverse("meetings:reply", args=["1:2"]), {"reply": "excused"}).status_code
        == 404
    )
    attendance.refresh_from_db()
    assert attendance.reply == ""


def test_no_answer_once_the_meeting_started(client, planned):
    meeting, agreed, _silent = planned
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    attendance = Attendance.objects.get(meeting=meeting, person=agreed)
    page = client.post(
        reverse("meetings:reply", args=[reply_token(attendance)]), {"reply": Reply.EXCUSED}
    )
    assert page.status_code == 200
    attendance.refresh_from_db()
    assert attendance.reply == ""


def test_another_provinces_secretary_cannot_convoke(
    client, actors, planned, django_capture_on_commit_callbacks
):
    meeting, _agreed, _silent = planned
    response = convoke(client, actors.meknes, meeting, django_capture_on_commit_callbacks)
    assert response.status_code == 404
    meeting.refresh_from_db()
    assert meeting.convoked_at is None
    assert not Send.objects.exists()
    assert mail.outbox == []


def test_reminder_the_day_before_skips_those_excused(
    actors, planned, django_capture_on_commit_callbacks
):
    meeting, agreed, silent = planned
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=tomorrow.replace(hour=12, minute=0), convoked_at=timezone.now()
    )
    other = invitee(_place(meeting), "salma", consent=True, actor=actors.taounate)
    Attendance.objects.create(meeting=meeting, person=other, reply=Reply.EXCUSED)
    assert list(reminders_due()) == [meeting]
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders_send() == 1
    send = Send.objects.get(kind=SendKind.REMINDER)
    assert set(
        Message.objects.filter(send=send).values_list("person__first_name_ar", flat=True)
    ) == {
        "amina",
        "karim",
    }
    assert [m.to for m in mail.outbox] == [["amina@example.org"]]
    assert list(reminders_due()) == []  # once


def _place(meeting):
    from types import SimpleNamespace

    return SimpleNamespace(node=meeting.body.territory)
