"""The consent ledger screens: give and withdraw per purpose and channel from a person's record,
with when, how, which text and who; the evidence for one person or a list, with the CNDP
reference; scope on every id."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils.html import escape

from abwab.core.models import AuditEntry
from abwab.people.models import Consent, ConsentMedium, ConsentPurpose
from conftest import in_arabic

pytestmark = pytest.mark.django_db


def give(client, person, **data):
    return client.post(
        reverse("people:consents", args=[person.pk]),
        {
            "action": "give",
            "purpose": ConsentPurpose.NEWS,
            "medium": ConsentMedium.SMS,
            "channel": "paper",
            "text_version": "2026-2",
            **data,
        },
    )


def test_a_secretary_records_and_withdraws_a_consent_on_the_record(client, actors, places):
    person = places["taounate_a"].person
    client.force_login(actors.taounate)
    page = client.get(reverse("people:consents", args=[person.pk]))
    assert page.status_code == 200

    assert give(client, person).status_code == 302
    consent = Consent.objects.get(person=person, purpose=ConsentPurpose.NEWS)
    assert (consent.medium, consent.channel, consent.text_version, consent.collected_by) == (
        ConsentMedium.SMS,
        "paper",
        "2026-2",
        actors.taounate,
    )
    give(client, person)  # the same purpose and channel again: still one line in force
    assert Consent.objects.filter(person=person, purpose=ConsentPurpose.NEWS).count() == 1

    page = client.get(reverse("people:consents", args=[person.pk])).content.decode()
    assert 'data-purpose="news" data-medium="sms"' in page

    client.post(
        reverse("people:consents", args=[person.pk]), {"action": "withdraw", "consent": consent.pk}
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert (consent.withdrawn_by, consent.withdrawn_via) == (actors.taounate, "record")
    page = client.get(reverse("people:consents", args=[person.pk])).content.decode()
    assert escape(in_arabic("recorded on the person's record")) in page
    # The record page links the ledger.
    detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert reverse("people:consents", args=[person.pk]) in detail


def test_another_territorys_person_or_consent_is_out_of_reach(client, actors, places):
    inside = places["taounate_a"].person
    outside = places["meknes"].person
    theirs = Consent.objects.create(
        person=outside,
        purpose=ConsentPurpose.NEWS,
        medium=ConsentMedium.EMAIL,
        channel="paper",
        text_version="1",
    )
    client.force_login(actors.taounate)
    assert client.get(reverse("people:consents", args=[outside.pk])).status_code == 404
    assert give(client, outside).status_code == 404
    assert not Consent.objects.filter(person=outside, medium=ConsentMedium.SMS).exists()
    # Another person's consent id on one's own person's page: 404, nothing withdrawn.
    response = client.post(
        reverse("people:consents", args=[inside.pk]), {"action": "withdraw", "consent": theirs.pk}
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.withdrawn_at is None
    assert (
        client.get(reverse("people:consents_evidence", args=[outside.pk, "csv"])).status_code == 404
    )


def test_volunteers_and_auditors_do_not_change_consents(client, actors, places):
    person = places["taounate_a"].person
    client.force_login(actors.volunteer)
    assert client.get(reverse("people:consents", args=[person.pk])).status_code == 404
    client.force_login(actors.auditor)
    assert client.get(reverse("people:consents", args=[person.pk])).status_code == 200
    assert give(client, person).status_code == 404
    assert not Consent.objects.filter(person=person, purpose=ConsentPurpose.NEWS).exists()


def test_evidence_of_one_person_names_the_cndp_declaration(client, actors, places, settings):
    settings.ABWAB_CNDP_REFERENCE = "D-GC-123/2026"
    person = places["taounate_a"].person
    client.force_login(actors.taounate)
    give(client, person)
    response = client.get(reverse("people:consents_evidence", args=[person.pk, "csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][1] == "D-GC-123/2026"
    body = rows[3:]
    assert [row[0] for row in body] == [str(person.pk), str(person.pk)]  # membership, news by SMS
    assert {row[4] for row in body} == {"2026-1", "2026-2"}
    assert AuditEntry.objects.filter(action="export", object_id=str(person.pk)).exists()

    pdf = client.get(reverse("people:consents_evidence", args=[person.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_evidence_of_a_filtered_list_keeps_to_the_scope_and_logs_the_reason(client, actors, places):
    client.force_login(actors.taounate)
    url = reverse("people:consents_evidence_list")
    assert client.post(url, {"reason": "", "format": "csv"}).status_code == 200  # reason missing
    response = client.post(url + "?status=active", {"reason": "CNDP inspection", "format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    ids = {row[0] for row in list(csv.reader(io.StringIO(text)))[3:]}
    assert str(places["taounate_a"].person.pk) in ids
    assert str(places["meknes"].person.pk) not in ids
    entry = AuditEntry.objects.get(action="export", object_type="people.Consent")
    assert "CNDP inspection" in entry.reason and entry.count == len(ids)
    # Another province's territory code in the query: 404.
    assert client.get(url + f"?territory={places['meknes'].node.code}").status_code == 404
