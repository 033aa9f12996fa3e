"""The compose screen: members chosen by the list's filters, a preview per language, the SMS cost
with the stray-character warning, a test send to oneself, the send (consent NEWS); scope."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from abwab.messaging.models import Message, MessageStatus, Send, SendKind
from abwab.messaging.tests.helpers import person_with
from abwab.people.models import ConsentMedium, ConsentPurpose, Gender, Person

pytestmark = pytest.mark.django_db
NEWS = ((ConsentPurpose.NEWS, ConsentMedium.EMAIL), (ConsentPurpose.NEWS, ConsentMedium.SMS))


@pytest.fixture
def members(places):
    """Two women of Taounate who agreed to news (one reads French), one man who did not; a woman
    of Meknès who agreed."""
    node = places["taounate_a"].node
    amina = person_with(node, 1, consents=NEWS, phone="+212611111111")
    sara = person_with(node, 2, consents=NEWS, phone="+212622222222")
    sara.languages = ["fr"]
    sara.save()
    omar = person_with(node, 3, phone="+212633333333")
    meknes = person_with(places["meknes"].node, 4, consents=NEWS, phone="+212644444444")
    Person.objects.filter(pk__in=[amina.pk, sara.pk, meknes.pk]).update(gender=Gender.FEMALE)
    Person.objects.filter(pk=omar.pk).update(gender=Gender.MALE)
    return amina, sara, omar, meknes


def url(**query):
    return reverse("messaging:compose") + ("?" + "&".join(f"{k}={v}" for k, v in query.items()))


TEXTS = {
    "subject_ar": "لقاء تواصلي",
    "body_ar": "السلام {first_name}، لقاء تواصلي يوم السبت.",
    "subject_fr": "Rencontre",
    "body_fr": "Bonjour {first_name_latin}, rencontre samedi à 10h.",
}


def test_preview_and_cost_then_send_to_the_filtered_members(client, actors, places, members):
    amina, sara, omar, meknes = members
    client.force_login(actors.taounate)
    address = url(gender="F", territory=places["taounate_a"].node.code)
    page = client.get(address)
    assert page.status_code == 200

    page = client.post(address, {**TEXTS, "by_sms": "on", "action": "preview"}).content.decode()
    assert "السلام عبد الرحمان" in page and "Bonjour Abderrahmane" in page  # sample names
    cost = re.search(r'id="compose-cost">(.*?)</section>', page, re.S)[1]
    arabic = re.search(r'data-language="ar">(.*?)</li>', cost, re.S)[1]
    french = re.search(r'data-language="fr">(.*?)</li>', cost, re.S)[1]
    # One Arabic-reading woman with an SMS consent, one French-reading: 1 part each.
    assert re.findall(r"<bdi>(\d+)</bdi>", arabic) == ["1", "1", "1"]
    assert "UCS2" in arabic and "GSM7" in french and "data-stray" not in page

    response = client.post(address, {**TEXTS, "by_email": "on", "by_sms": "on", "action": "send"})
    send = Send.objects.get(kind=SendKind.MEMBERS)
    assert response.status_code == 302 and response["Location"] == reverse(
        "messaging:send", args=[send.pk]
    )
    assert send.purpose == ConsentPurpose.NEWS and send.territory == places["taounate_a"].node
    assert send.filters == {"gender": "F", "territory": places["taounate_a"].node.code}
    by_person = {(m.person_id, m.medium): m for m in Message.objects.filter(send=send)}
    assert {pk for pk, _medium in by_person} == {amina.pk, sara.pk}  # the women of Taounate
    assert by_person[(sara.pk, ConsentMedium.EMAIL)].body.startswith("Bonjour Name2")
    assert by_person[(amina.pk, ConsentMedium.SMS)].body.startswith("السلام سعاد")


def test_a_stray_character_is_named_with_its_cost(client, actors, places, members):
    client.force_login(actors.taounate)
    text = {**TEXTS, "body_ar": "", "body_fr": "Rencontre samedi – venez nombreux ’"}
    page = client.post(url(), {**text, "by_sms": "on", "action": "preview"}).content.decode()
    warning = re.search(r"data-stray>(.*?)</p>", page, re.S)[1]
    assert re.findall(r"<code dir=\"ltr\">(.)</code>", warning) == ["–", "’"]


def test_someone_without_the_news_consent_receives_nothing(
    client, actors, places, members, django_capture_on_commit_callbacks
):
    amina, sara, omar, meknes = members
    client.force_login(actors.taounate)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(gender="M"), {**TEXTS, "by_email": "on", "action": "send"})
    message = Message.objects.get(person=omar)
    assert message.status == MessageStatus.REFUSED and message.body == ""
    assert mail.outbox == []


def test_a_test_send_goes_to_oneself_only(
    client, actors, places, members, django_capture_on_commit_callbacks
):
    actors.taounate.email = "taounate@example.org"
    actors.taounate.save()
    client.force_login(actors.taounate)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(), {**TEXTS, "by_sms": "on", "action": "test"})
    assert [m.to for m in mail.outbox] == [["taounate@example.org"]]
    assert (
        "السلام عبد الرحمان" in mail.outbox[0].body
        and "Bonjour Abderrahmane" in mail.outbox[0].body
    )
    assert not Message.objects.filter(person__isnull=False).exists()


def test_another_territory_or_role_is_refused(client, actors, places, members):
    client.force_login(actors.taounate)
    meknes_code = places["meknes"].node.code
    response = client.post(
        url(territory=meknes_code), {**TEXTS, "by_email": "on", "action": "send"}
    )
    assert response.status_code == 404
    for user in (actors.volunteer, actors.media, actors.auditor):
        client.force_login(user)
        assert client.get(url()).status_code == 404
    assert not Send.objects.exists()
