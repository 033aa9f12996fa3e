"""The sending engine against a real SMTP server on loopback: consent at queue time and right
before the hand-over, scope, retries with back-off, bounces, quiet hours, pause and resume, audit."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from abwab.core.errors import ErrorCode
from abwab.core.models import AuditEntry, Job
from abwab.messaging.consent import consent_withdraw_by_link
from abwab.messaging.engine import (
    Pacer,
    in_quiet_hours,
    queue_send,
    send_pause,
    send_resume,
    send_run,
)
from abwab.messaging.models import Message, MessageStatus, Send, SendKind, SendStatus
from abwab.messaging.tests.helpers import (
    CONVOCATION_BY_EMAIL,
    NEWS_BY_EMAIL,
    FakeClock,
    person_with,
    send_for,
)
from abwab.people.models import ConsentMedium, ConsentPurpose

CASABLANCA = zoneinfo.ZoneInfo("Africa/Casablanca")
pytestmark = pytest.mark.django_db


@pytest.fixture
def taounate(places):
    return places["taounate_a"].node


def test_only_people_with_the_consent_receive_anything(smtp_settings, actors, taounate):
    # given three persons who agreed to convocations by email, and three who did not (none, news
    # only, convocations by SMS only)
    agreed = [person_with(taounate, n, consents=CONVOCATION_BY_EMAIL) for n in range(3)]
    no_consent = person_with(taounate, 10)
    news_only = person_with(taounate, 11, consents=NEWS_BY_EMAIL)
    sms_only = person_with(
        taounate, 12, consents=((ConsentPurpose.CONVOCATIONS, ConsentMedium.SMS),)
    )
    send = send_for(taounate, actor=actors.taounate)
    # when the provincial secretary sends the convocation to all six
    queue_send(
        actors.taounate,
        send,
        [
            (p, {"reply_url": f"https://x.test/r/{p.pk}"})
            for p in [*agreed, no_consent, news_only, sms_only]
        ],
    )
    result = send_run(send.pk)
    # then each who agreed has exactly one email, in Arabic, with their own link; the others none
    for person in agreed:
        box = smtp_settings.mailbox(person.email)
        assert len(box) == 1
        assert box[0]["Subject"] == "استدعاء سعاد"
        assert f"https://x.test/r/{person.pk}" in box[0].get_content()
    for person in (no_consent, news_only, sms_only):
        assert smtp_settings.mailbox(person.email) == []
    refused = Message.objects.filter(send=send, status=MessageStatus.REFUSED)
    assert {m.person_id for m in refused} == {no_consent.pk, news_only.pk, sms_only.pk}
    assert {(m.body, m.address, m.last_error) for m in refused} == {("", "", "no_consent")}
    send.refresh_from_db()
    assert (send.status, send.total, send.done, send.failed, send.refused) == ("done", 6, 3, 0, 3)
    assert result["outcome"] == "done"


def test_a_consent_withdrawn_after_queueing_is_honoured_at_hand_over(
    smtp_settings, actors, taounate
):
    # given two persons queued while both had consented
    stays, leaves = (person_with(taounate, n, consents=CONVOCATION_BY_EMAIL) for n in range(2))
    send = send_for(taounate)
    queue_send(actors.taounate, send, [stays, leaves])
    assert Message.objects.filter(send=send, status=MessageStatus.QUEUED).count() == 2
    # when one withdraws before the worker reaches them
    consent_withdraw_by_link(
        person_id=leaves.pk, purpose=ConsentPurpose.CONVOCATIONS, medium=ConsentMedium.EMAIL
    )
    send_run(send.pk)
    # then they receive nothing and the message says why
    assert len(smtp_settings.mailbox(stays.email)) == 1
    assert smtp_settings.mailbox(leaves.email) == []
    message = Message.objects.get(send=send, person=leaves)
    assert (message.status, message.last_error, message.sent_at) == ("refused", "no_consent", None)


def test_every_email_carries_one_click_unsubscribe_headers(smtp_settings, actors, taounate):
    person = person_with(taounate, 1, consents=CONVOCATION_BY_EMAIL)
    send = send_for(taounate)
    queue_send(actors.taounate, send, [person])
    send_run(send.pk)
    (received,) = smtp_settings.mailbox(person.email)
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = str(received["List-Unsubscribe"]).strip()  # long: folded onto its own line
    assert header.startswith("<http://localhost:8000/messages/unsubscribe/") and header.endswith(
        "/>"
    )
    message = Message.objects.get(send=send)
    assert received["Message-ID"] == message.provider_ref


def test_an_unsubscribe_click_withdraws_and_the_next_send_skips_them(
    smtp_settings, client, actors, taounate
):
    # given a person who received a convocation
    person = person_with(taounate, 1, consents=CONVOCATION_BY_EMAIL)
    first = send_for(taounate)
    queue_send(actors.taounate, first, [person])
    send_run(first.pk)
    url = smtp_settings.mailbox(person.email)[0]["List-Unsubscribe"].strip().strip("<>")
    # when their mail client posts the one-click unsubscribe (RFC 8058: no CSRF token)
    client.handler.enforce_csrf_checks = True
    response = client.post(
        url.removeprefix("http://localhost:8000"), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    consent = person.consents.get()
    assert consent.withdrawn_at is not None and consent.withdrawn_via == "unsubscribe_link"
    # then the next convocation does not reach them
    second = send_for(taounate)
    queue_send(actors.taounate, second, [person])
    send_run(second.pk)
    assert len(smtp_settings.mailbox(person.email)) == 1
    assert Message.objects.get(send=second).status == MessageStatus.REFUSED


def test_account_notices_need_no_consent_and_carry_no_unsubscribe(smtp_settings, actors, taounate):
    user = actors.local
    user.email = "local@example.org"
    user.save()
    send = Send.objects.create(
        kind=SendKind.ACCOUNT,
        by_email=True,
        territory=taounate,
        subject_ar="تغيير كلمة المرور",
        body_ar="تم تغيير كلمة مرور الحساب {username}.",
    )
    queue_send(None, send, users=[user])
    send_run(send.pk)
    (received,) = smtp_settings.mailbox("local@example.org")
    assert "local" in received.get_content()
    assert received["List-Unsubscribe"] is None


def test_a_send_without_purpose_is_refused(actors, taounate):
    send = send_for(taounate, purpose="", kind=SendKind.MEMBERS)
    person = person_with(taounate, 1)
    with pytest.raises(ValidationError) as refused:
        queue_send(actors.taounate, send, [person])
    assert refused.value.error_list[0].code == ErrorCode.CONSENT_REQUIRED
    assert Message.objects.count() == 0


def test_a_person_of_another_territory_refuses_the_whole_send(actors, places, taounate):
    # given a Taounate secretary's send with one Meknès person's id slipped into the list
    ours = person_with(taounate, 1, consents=CONVOCATION_BY_EMAIL)
    theirs = person_with(places["meknes"].node, 2, consents=CONVOCATION_BY_EMAIL)
    send = send_for(taounate)
    with pytest.raises(ValidationError) as refused:
        queue_send(actors.taounate, send, [ours.pk, theirs.pk])
    assert refused.value.error_list[0].code == ErrorCode.OUTSIDE_TERRITORY
    assert Message.objects.count() == 0
    assert not Job.objects.filter(kind="messaging.send").exists()


def test_a_send_for_another_territory_is_refused(actors, places):
    meknes = places["meknes"].node
    person = person_with(meknes, 1, consents=CONVOCATION_BY_EMAIL)
    send = send_for(meknes)
    with pytest.raises(ValidationError) as refused:
        queue_send(actors.taounate, send, [person])
    assert refused.value.error_list[0].code == ErrorCode.FORBIDDEN
    assert Message.objects.count() == 0


def test_temporary_failures_are_retried_with_exponential_back_off(
    smtp_settings, settings, actors, taounate
):
    # given a relay that answers "try later" twice for one recipient
    settings.MESSAGING_RETRY_SECONDS = 30
    person = person_with(taounate, 1, consents=CONVOCATION_BY_EMAIL)
    smtp_settings.busy[person.email] = 2
    send = send_for(taounate)
    queue_send(actors.taounate, send, [person])
    clock = FakeClock(timezone.now())
    # when the worker runs (waiting in place: the retries fall due within two minutes)
    send_run(send.pk, now=clock.now, sleep=clock.sleep)
    # then it waited 30 s then 60 s, and the message went once, at the third attempt
    assert [round(s) for s in clock.sleeps if s >= 1] == [30, 60]
    assert len(smtp_settings.mailbox(person.email)) == 1
    message = Message.objects.get(send=send)
    assert (message.status, message.attempts) == ("sent", 3)


def test_a_retry_beyond_the_inline_wait_is_left_queued_for_later(
    smtp_settings, settings, actors, taounate
):
    settings.MESSAGING_RETRY_SECONDS = 600
    person = person_with(taounate, 1, consents=CONVOCATION_BY_EMAIL)
    smtp_settings.busy[person.email] = 1
    send = send_for(taounate)
    queue_send(actors.taounate, send, [person])
    clock = FakeClock(timezone.now())
    result = send_run(send.pk, now=clock.now, sleep=clock.sleep)
    message = Message.objects.get(send=send)
    assert result["outcome"] == "retry_later"
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.next_attempt_at == clock.now() + datetime.timedelta(seconds=600)
    assert message.last_error.startswith("relay_busy 451")
    assert Send.objects.get(pk=send.pk).status == SendStatus.QUEUED


def test_too_many_temporary_failures_end_as_failed(smtp_settings, settings, actors, taounate):
    settings.MESSAGING_MAX_ATTEMPTS = 2
    person = person_with(taounate, 1, consents=CONVOCATION_BY_EMAIL)
    smtp_settings.busy[person.email] = 5
    send = send_for(taounate)
    queue_send(actors.taounate, send, [person])
    send_run(send.pk)
    message = Message.objects.get(send=send)
    assert (message.status, message.attempts) == ("failed", 2)
    assert smtp_settings.mailbox(person.email) == []
    assert Send.objects.get(pk=send.pk).failed == 1


def test_a_refused_recipient_is_recorded_as_bounced_with_the_reason(
    smtp_settings, client, actors, taounate
):
    # given a relay that does not know one mailbox
    good, gone = (person_with(taounate, n, consents=CONVOCATION_BY_EMAIL) for n in range(2))
    smtp_settings.refuse[gone.email] = (550, "5.1.1 No such user")
    send = send_for(taounate, actor=actors.taounate)
    queue_send(actors.taounate, send, [good, gone])
    send_run(send.pk)
    # then that one is bounced (not retried), the other sent
    message = Message.objects.get(send=send, person=gone)
    assert (message.status, message.attempts) == ("bounced", 1)
    assert message.last_error.startswith("bad_address 550")
    assert len(smtp_settings.mailbox(good.email)) == 1
    # and the send's page shows it per recipient, with the reason, to its secretary
    client.force_login(actors.taounate)
    page = client.get(reverse("messaging:send", kwargs={"pk": send.pk}) + "?status=bounced")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-status="bounced"') == 1 and 'data-status="sent"' not in html
    assert "5.1.1 No such user" in html


def test_the_send_page_is_scoped(client, actors, places, taounate):
    send = send_for(taounate)
    url = reverse("messaging:send", kwargs={"pk": send.pk})
    client.force_login(actors.meknes)
    assert client.get(url).status_code == 404
    assert client.post(reverse("messaging:send_pause", kwargs={"pk": send.pk})).status_code == 404
    assert Send.objects.get(pk=send.pk).status == SendStatus.DRAFT
    client.force_login(actors.auditor)  # reads, cannot pause
    assert client.get(url).status_code == 200
    assert client.post(reverse("messaging:send_pause", kwargs={"pk": send.pk})).status_code == 404


def test_quiet_hours_hold_party_news_but_not_convocations(smtp_settings, actors, taounate):
    # given 22:30 in Casablanca, a news message and a convocation to the same person
    late = datetime.datetime(2026, 12, 1, 22, 30, tzinfo=CASABLANCA)
    person = person_with(taounate, 1, consents=CONVOCATION_BY_EMAIL + NEWS_BY_EMAIL)
    news = send_for(taounate, purpose=ConsentPurpose.NEWS, kind=SendKind.MEMBERS)
    convocation = send_for(taounate)
    queue_send(actors.taounate, news, [person])
    queue_send(actors.taounate, convocation, [person])
    # when the worker runs both
    held = send_run(news.pk, now=lambda: late)
    send_run(convocation.pk, now=lambda: late)
    # then only the convocation went; the news waits for 08:00
    assert held["outcome"] == "quiet_hours"
    assert Message.objects.get(send=news).status == MessageStatus.QUEUED
    assert len(smtp_settings.mailbox(person.email)) == 1
    assert in_quiet_hours(news, late) == datetime.datetime(2026, 12, 2, 8, 0, tzinfo=CASABLANCA)
    assert in_quiet_hours(news, late.replace(hour=12)) is None
    # and at 08:00 it goes
    send_run(news.pk, now=lambda: late.replace(day=2, hour=8))
    assert len(smtp_settings.mailbox(person.email)) == 2


def test_pause_stops_and_resume_goes_on(
    smtp_settings, actors, taounate, django_capture_on_commit_callbacks
):
    people = [person_with(taounate, n, consents=CONVOCATION_BY_EMAIL) for n in range(3)]
    send = send_for(taounate)
    queue_send(actors.taounate, send, people)
    send_pause(actor=actors.taounate, send=send)
    assert send_run(send.pk) == {"status": "paused"}
    assert smtp_settings.messages == []
    # resuming starts the worker again (run here as soon as the transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        send_resume(actor=actors.taounate, send=send)
    assert sorted(smtp_settings.per_recipient().values()) == [1, 1, 1]
    job = Job.objects.filter(kind="messaging.send").latest("pk")
    assert (job.status, job.result["sent"]) == ("done", 3)


def test_queueing_again_adds_no_second_message(smtp_settings, actors, taounate):
    person = person_with(taounate, 1, consents=CONVOCATION_BY_EMAIL)
    send = send_for(taounate)
    queue_send(actors.taounate, send, [person])
    queue_send(actors.taounate, send, [person])
    send_run(send.pk)
    send_run(send.pk)
    assert Message.objects.filter(send=send).count() == 1
    assert len(smtp_settings.mailbox(person.email)) == 1


def test_every_send_is_audited_without_its_text(smtp_settings, actors, taounate):
    people = [person_with(taounate, n, consents=CONVOCATION_BY_EMAIL) for n in range(2)]
    people.append(person_with(taounate, 9))
    send = send_for(taounate, actor=actors.taounate)
    queue_send(actors.taounate, send, people)
    entry = AuditEntry.objects.get(action="messaging.send")
    assert (entry.actor, entry.count, entry.object_id, entry.territory) == (
        actors.taounate,
        3,
        str(send.pk),
        taounate,
    )
    assert "meeting=7" in entry.reason and "refused=1" in entry.reason
    assert "الاجتماع" not in entry.reason and "السلام" not in entry.reason


def test_the_pacer_keeps_to_the_rate():
    start = timezone.now()
    clock = FakeClock(start)
    pacer = Pacer(10, clock=lambda: (clock.at - start).total_seconds(), sleep=clock.sleep)
    for _ in range(5):
        pacer.wait()
    assert [round(s, 2) for s in clock.sleeps] == [0.1, 0.1, 0.1, 0.1]


def test_a_hand_over_that_cannot_be_recorded_is_not_sent(smtp_settings, actors, taounate):
    # given a database that fails at the moment the hand-over is to be recorded
    from django.db import OperationalError

    from abwab.messaging.channels import EmailChannel

    first, second = (person_with(taounate, n, consents=CONVOCATION_BY_EMAIL) for n in range(2))
    send = send_for(taounate)
    queue_send(actors.taounate, send, [first, second])
    one, two = Message.objects.filter(send=send).order_by("pk")
    channel = EmailChannel()

    def locked():
        raise OperationalError("database is locked")

    channel.on_handover = locked
    # when the first email is handed over, it fails before SMTP's final dot
    with pytest.raises(OperationalError):
        channel.send(one)
    # then the relay dropped it, and the next email goes alone on a fresh connection
    channel.on_handover = None
    channel.send(two)
    channel.close()
    assert smtp_settings.mailbox(first.email) == []
    (received,) = smtp_settings.mailbox(second.email)
    assert "MAIL FROM" not in received.get_content()
