"""Three guards of the engine: recipients read from an object the actor may change (a meeting's
invitees) may live elsewhere, while recipients chosen in a request may not; one worker per send;
an account notice's text (a reset link) is not kept once handed over."""

import pytest
from django.core.exceptions import ValidationError

from abwab.messaging.engine import queue_send, send_run
from abwab.messaging.models import Message, MessageStatus, Send, SendKind, SendStatus
from abwab.messaging.tests.helpers import CONVOCATION_BY_EMAIL, person_with, send_for

pytestmark = pytest.mark.django_db


def test_invitees_living_elsewhere_are_convoked_but_cannot_be_chosen(smtp_settings, actors, places):
    # given a provincial send, and an invitee who lives in another region
    home = places["taounate_a"].node
    guest = person_with(places["oriental"].node, 1, consents=CONVOCATION_BY_EMAIL)
    # when the secretary picks that person in a request, the whole send is refused
    chosen = send_for(home, actor=actors.taounate)
    with pytest.raises(ValidationError):
        queue_send(actors.taounate, chosen, [guest])
    assert not Message.objects.filter(send=chosen).exists()
    # but when the recipients are the meeting's invitees (read from the meeting), they are convoked
    convocation = send_for(home, actor=actors.taounate)
    queue_send(actors.taounate, convocation, [guest], recipients_from_object=True)
    send_run(convocation.pk)
    assert len(smtp_settings.mailbox(guest.email)) == 1
    # and the send itself stays gated: another province's send is refused even so
    theirs = send_for(places["meknes"].node, actor=actors.meknes)
    with pytest.raises(ValidationError):
        queue_send(actors.taounate, theirs, [guest], recipients_from_object=True)


def test_a_second_worker_on_a_running_send_does_nothing(smtp_settings, actors, places):
    home = places["taounate_a"].node
    person = person_with(home, 2, consents=CONVOCATION_BY_EMAIL)
    send = send_for(home, actor=actors.taounate)
    queue_send(actors.taounate, send, [person])
    Send.objects.filter(pk=send.pk).update(status=SendStatus.RUNNING)  # another worker has it
    assert send_run(send.pk)["outcome"] == "already_running"
    assert smtp_settings.mailbox(person.email) == []
    assert Message.objects.get(send=send).status == MessageStatus.QUEUED


def test_an_account_notice_keeps_no_text_once_sent(smtp_settings, actors, places):
    send = Send.objects.create(
        kind=SendKind.ACCOUNT,
        by_email=True,
        territory=places["taounate_a"].node,
        subject_ar="إعادة تعيين",
        body_ar="https://x.test/reset/SECRET-TOKEN/",
    )
    actors.taounate.email = "taounate@example.test"
    actors.taounate.save()
    queue_send(None, send, users=[actors.taounate])
    send_run(send.pk)
    box = smtp_settings.mailbox("taounate@example.test")
    assert len(box) == 1 and "SECRET-TOKEN" in box[0].get_content()
    message = Message.objects.get(send=send)
    assert message.status == MessageStatus.SENT and "SECRET-TOKEN" not in message.body
