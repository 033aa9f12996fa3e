"""Answers and milestones from the dossier page: the citizens who asked for an answer (and agreed
to be contacted) get an SMS; those who withdrew, or did not ask, get nothing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from abwab.listening.models import Concern, DossierStatus
from abwab.messaging.models import Message, MessageStatus, Send, SendKind
from abwab.people.models import Consent, ConsentMedium, ConsentPurpose, Person

pytestmark = pytest.mark.django_db


def concern(place, key: str, *, phone: str = "", wants: bool = True):
    return Concern.objects.create(
        territory=place.node,
        category=place.dossier.category,
        dossier=place.dossier,
        description=f"road {key}",
        wants_answer=wants,
        contact_name=f"citizen {key}",
        contact_phone=phone,
        contact_consent_at=timezone.now() if wants else None,
        event=place.event,
        office=place.office,
        client_key=f"answer-{key}",
    )


@pytest.fixture
def dossier(places):
    place = places["taounate_a"]
    place.dossier.handed_to.add(place.mandate)
    return place.dossier


def post_status(client, dossier, status, answer=""):
    return client.post(
        reverse("listening:dossier", args=[dossier.pk]),
        {"status": status, "note": "", "answer": answer},
    )


def test_an_answer_reaches_the_citizens_who_asked(client, actors, places, dossier):
    place = places["taounate_a"]
    asked = concern(place, "a", phone="+212612345678")
    concern(place, "b", wants=False)
    client.force_login(actors.taounate)

    response = post_status(client, dossier, DossierStatus.ANSWERED, answer="الطريق ستُصلح في مارس")
    assert response.status_code == 302
    send = Send.objects.get(about=f"listening.dossier:{dossier.pk}")
    assert (send.kind, send.purpose, send.by_sms, send.by_email) == (
        SendKind.ANSWER,
        ConsentPurpose.CONTACT,
        True,
        False,
    )
    message = Message.objects.get(send=send)
    assert message.address == "+212612345678"
    assert "الطريق ستُصلح في مارس" in message.body
    # The contact is a person of the commune, with the concern's consent in the ledger.
    person = message.person
    assert (person.territory, person.phone) == (place.node, asked.contact_phone)
    consent = Consent.objects.get(person=person, purpose=ConsentPurpose.CONTACT)
    assert (consent.medium, consent.given_at) == (ConsentMedium.SMS, asked.contact_consent_at)


def test_a_milestone_again_reuses_the_contact_and_honours_a_withdrawal(
    client, actors, places, dossier
):
    place = places["taounate_a"]
    concern(place, "a", phone="+212612345678")
    client.force_login(actors.taounate)
    post_status(client, dossier, DossierStatus.COUNCIL)
    assert Send.objects.get().kind == SendKind.MILESTONE
    Consent.objects.filter(purpose=ConsentPurpose.CONTACT).update(
        withdrawn_at=timezone.now(), withdrawn_via="sms_stop"
    )
    post_status(client, dossier, DossierStatus.MINISTRY)
    assert Person.objects.filter(phone="+212612345678").count() == 1
    latest = Message.objects.filter(send__filters__status=DossierStatus.MINISTRY).get()
    assert latest.status == MessageStatus.REFUSED and latest.body == ""


def test_another_provinces_secretary_sends_nothing(client, actors, places, dossier):
    concern(places["taounate_a"], "a", phone="+212612345678")
    client.force_login(actors.meknes)
    response = post_status(client, dossier, DossierStatus.ANSWERED, answer="x")
    assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.OPEN
    assert not Send.objects.exists() and not Person.objects.filter(phone="+212612345678").exists()
